#!/usr/bin/env bash
# The baseline of bench/verify-vs-bash.ts: verify-bench.md's steps and checks as a careful
# shell-script author would write them with the docker CLI, by hand. Each check reads what it
# needs with `docker inspect -f` (or docker logs/exec, curl, /dev/tcp) and, where the lesson
# gives a timeout, is retried every 250 ms until it, as docker-lab waits. Not done here (and part
# of what docker-lab costs): checks before each step proving they fail, a daemon inventory and
# event ledger, a docker shim. What the script creates is removed on exit, whatever happens.
#
# Usage: baseline.sh PREFIX PORT LOCKFILE
#   PREFIX  replaces dl-bench-x in every name; PORT replaces 65080
#   LOCKFILE  docker-lab's lock for this daemon: one lesson run per daemon at a time
# Exit 0 when every check passed; otherwise the failed checks are named on stderr.
set -u
P=$1
PORT=$2
LOCK=$3
HOST=${DAEMON_HOST:-127.0.0.1}

# --- one lesson run per daemon: the lock file docker-lab takes (the daemon is shared) --------
until (set -o noclobber; echo $$ >"$LOCK") 2>/dev/null; do
  owner=$(cat "$LOCK" 2>/dev/null)
  if ! [[ $owner =~ ^[0-9]+$ ]] || ! kill -0 "$owner" 2>/dev/null; then
    rm -f "$LOCK"
    continue
  fi
  [ -n "${WAITED:-}" ] || echo "waiting for another docker-lab run (pid $owner)" >&2
  WAITED=1
  sleep 0.25
done

W=$(mktemp -d "${TMPDIR:-/tmp}/dl-bench-bash-XXXXXX") || exit 1
cleanup() {
  docker rm -f -v "$P-web" "$P-job" >/dev/null 2>&1
  docker network rm "$P-net" >/dev/null 2>&1
  docker volume rm "$P-data" >/dev/null 2>&1
  docker rmi "$P-img" >/dev/null 2>&1
  cd / && rm -rf "$W"
  [ "$(cat "$LOCK" 2>/dev/null)" = $$ ] && rm -f "$LOCK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$W" || exit 1

FAILED=()
# check ID TIMEOUT_MS FUNCTION: FUNCTION until it succeeds, every 250 ms for at most TIMEOUT_MS.
check() {
  local id=$1 timeout=$2 fn=$3 start=${EPOCHREALTIME/./}
  until "$fn"; do
    if (((${EPOCHREALTIME/./} - start) / 1000 >= timeout)); then
      FAILED+=("$id")
      return
    fi
    sleep 0.25
  done
}
has_line() { grep -qxF -- "$1" <<<"$2"; }

# --- step web ---------------------------------------------------------------------------------
docker run -d --name "$P-web" -p "127.0.0.1:$PORT:8080" -e GREETING=hello -v "$P-data:/www" \
  busybox sh -c 'echo hello > /www/index.html && exec httpd -f -p 8080 -h /www' >/dev/null

web_running() {
  local out
  out=$(docker inspect --type container -f '{{.State.Running}}|{{.Config.Image}}|{{range $p, $b := .NetworkSettings.Ports}}{{range $b}}{{$p}}->{{.HostIp}}:{{.HostPort}} {{end}}{{end}}|{{range .Mounts}}{{.Type}}:{{.Name}}->{{.Destination}} {{end}}' "$P-web" 2>/dev/null) || return 1
  [ "$out" = "true|busybox|8080/tcp->127.0.0.1:$PORT |volume:$P-data->/www " ] || return 1
  has_line GREETING=hello "$(docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$P-web")"
}
data_volume() {
  [ "$(docker volume inspect -f '{{.Driver}}' "$P-data" 2>/dev/null)" = local ] &&
    [ "$(docker ps -a --filter "volume=$P-data" --format '{{.Names}}')" = "$P-web" ]
}
# Open: the connection survives 200 ms (docker-proxy accepts, then closes when nothing listens).
port_open() {
  timeout 1 bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1; IFS= read -r -n 1 -t 0.2 x <&3; r=$?; [ "$r" -eq 0 ] || [ "$r" -gt 128 ]' "$HOST" "$PORT" 2>/dev/null
}
page_served() {
  local body
  body=$(curl -sf --max-time 10 "http://$HOST:$PORT/") && [[ $body == *hello* ]]
}
check web-running 10000 web_running
check data-volume 0 data_volume
check port-open 10000 port_open
check page-served 10000 page_served

# --- step network -----------------------------------------------------------------------------
docker network create "$P-net" >/dev/null
docker network connect "$P-net" "$P-web"

net_made() {
  [ "$(docker network inspect -f '{{.Driver}}|{{range .Containers}}{{.Name}} {{end}}' "$P-net" 2>/dev/null)" = "bridge|$P-web " ]
}
web_on_net() {
  has_line "$P-net" "$(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{println $k}}{{end}}' "$P-web" 2>/dev/null)"
}
check net-made 0 net_made
check web-on-net 0 web_on_net

# --- step job ---------------------------------------------------------------------------------
out=$(docker run --name "$P-job" --network "$P-net" busybox sh -c "wget -qO- http://$P-web:8080/ && echo job-done")
rc=$?

job_output() { [ "$rc" = 0 ] && [[ $out == *hello* && $out == *job-done* ]]; }
job_exited() {
  [ "$(docker inspect --type container -f '{{.State.Status}} {{.State.ExitCode}}' "$P-job" 2>/dev/null)" = "exited 0" ]
}
job_logs() { [[ $(docker logs "$P-job" 2>/dev/null) == *job-done* ]]; }
page_inside() {
  local inside
  inside=$(docker exec "$P-web" sh -c 'cat /www/index.html' 2>/dev/null) && [[ $inside == *hello* ]]
}
check job-output 0 job_output
check job-exited 0 job_exited
check job-logs 0 job_logs
check page-inside 0 page_inside

# --- step image -------------------------------------------------------------------------------
cat >Dockerfile <<'EOF'
FROM busybox
ENV MODE=bench
CMD ["echo", "hi"]
EOF
docker build -q -t "$P-img" . >/dev/null

dockerfile_written() { grep -qF 'FROM busybox' Dockerfile; }
image_built() {
  local out
  out=$(docker image inspect -f '{{json .Config.Cmd}}|{{range .Config.Env}}{{.}} {{end}}' "$P-img" 2>/dev/null) || return 1
  [[ ${out%%|*} == '["echo","hi"]' && " ${out#*|}" == *" MODE=bench "* ]]
}
check dockerfile-written 0 dockerfile_written
check image-built 0 image_built

if [ ${#FAILED[@]} -gt 0 ]; then
  echo "failed checks: ${FAILED[*]}" >&2
  exit 1
fi
