#!/usr/bin/env bash
# CI (and development): builds the offline stand-ins of the course's images before the lesson
# tests, or reuses them when current (under a second). From nothing: the Debian base with
# mmdebstrap (~20 s; cached as a tarball under ${XDG_CACHE_HOME:-~/.cache}/docker-lab, so the
# next run on this machine only imports it), then every stand-in (~1 min in all here).
# Needs a running daemon (scripts/setup-docker.sh) and installed dependencies (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/build.mjs
time node dist/cli.js images build-standins
