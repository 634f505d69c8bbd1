#!/usr/bin/env bash
# Installs (Debian/Ubuntu) and starts what docker-lab's development and CI need:
# Debian's docker.io (dockerd, containerd, runc), docker-compose, mmdebstrap and
# busybox-static for the offline stand-in images. Idempotent; quiet when all is there.
set -euo pipefail

log() { [ "${QUIET:-}" = 1 ] || echo "setup-docker: $*" >&2; }
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v mmdebstrap >/dev/null 2>&1 || need+=(mmdebstrap)
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || need+=(busybox-static)
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  need+=(docker-compose)
fi
# iptables is what dockerd's bridge driver needs; docker.io depends on it, but be explicit.
command -v iptables >/dev/null 2>&1 || need+=(iptables)

if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
  exit 0
fi

log "starting dockerd (log: /var/log/docker-lab-dockerd.log)"
# No systemd in these machines' containers: start dockerd directly, detached.
$SUDO sh -c 'nohup dockerd >/var/log/docker-lab-dockerd.log 2>&1 &'
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then log "dockerd is up"; exit 0; fi
  sleep 1
done
echo "setup-docker: dockerd did not answer within 60 s; last lines of its log:" >&2
tail -n 20 /var/log/docker-lab-dockerd.log >&2 || true
exit 1
