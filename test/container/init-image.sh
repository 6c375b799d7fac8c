#!/usr/bin/env bash
# Container smoke test of the Dockerfile `irisops init` writes (templates/Dockerfile): packs
# this checkout, serves the tarball over loopback HTTP, runs `init --yes --no-ci` in an empty
# folder, builds that folder with podman (the Dockerfile's `npm install --global` gets the
# tarball through --build-arg IRISOPS=<url>, its dependencies from the npm registry), then
# runs the image's CMD through ../shared/tools/run-image and checks /health, a setosa
# prediction, the HEALTHCHECK, a clean exit (0) on SIGTERM, and removes the image. Then builds
# the same Dockerfile with the tarball copied into the project (--build-arg
# IRISOPS=./irisops-<version>.tgz, the path for irisops before it is published) and checks
# the image's `irisops --version`.
#
#   test/container/init-image.sh         # as root (podman, chroot); smoke.sh calls it last
#
# Environment (all optional):
#   INIT_IMAGE=irisops-init-smoke   image tag to build, run and remove
#   SMOKE_BASE, SMOKE_TIMEOUT, IRISOPS_SHARED_TOOLS   as in smoke.sh
#
# Not provable here: run-image uses chroot, not a container (no PID or network namespace).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
TOOLS=${IRISOPS_SHARED_TOOLS:-$ROOT/../shared/tools}
IMAGE=${INIT_IMAGE:-irisops-init-smoke}
BASE=${SMOKE_BASE:-docker.io/library/node:22-slim}
TIMEOUT=${SMOKE_TIMEOUT:-60}

log() { printf 'init-image: %s\n' "$*" >&2; }
die() { printf 'init-image: FAIL %s\n' "$*" >&2; exit 1; }
# shellcheck source=test/container/lib.sh
. "$ROOT/test/container/lib.sh"

[ "$(id -u)" = 0 ] || die "needs root (podman image mount and chroot)"
[ -x "$TOOLS/run-image" ] || die "missing $TOOLS/run-image (set IRISOPS_SHARED_TOOLS)"
command -v python3 >/dev/null || die "needs python3 to serve the tarball over HTTP"
[ -f dist/cli.js ] || die "needs the build (npm run build): init runs from bin/irisops.js"

WORK=$(mktemp -d)
http_pid=""
server_pid=""
cleanup() {
  local rc=$?
  [ -z "$server_pid" ] || stop "$server_pid"
  [ -z "$http_pid" ] || stop "$http_pid"
  podman image unmount "$IMAGE" >/dev/null 2>&1 || true
  podman image rm -f "$IMAGE" >/dev/null 2>&1 || true
  if [ "$rc" != 0 ]; then dump_logs "$WORK"; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM


# --- the tarball, over loopback HTTP ------------------------------------------------------------
mkdir "$WORK/pkg"
tarball=$(npm pack --ignore-scripts --silent --pack-destination "$WORK/pkg" </dev/null | tail -n 1)
[ -f "$WORK/pkg/$tarball" ] || die "npm pack wrote no tarball"
http_port=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$WORK/pkg" "$http_port" </dev/null >"$WORK/http.log" 2>&1 &
http_pid=$!
url="http://127.0.0.1:$http_port/$tarball"
for _ in $(seq 50); do
  node -e 'fetch(process.argv[1],{method:"HEAD"}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$url" && break
  kill -0 "$http_pid" 2>/dev/null || die "python3 -m http.server exited"
  sleep 0.1
done
log "serving $tarball at $url"

# --- init, build ---------------------------------------------------------------------------------
project="$WORK/project"
node bin/irisops.js init --yes --no-ci "$project" </dev/null >"$WORK/init.log" 2>&1 || die "irisops init failed"
[ -f "$project/Dockerfile" ] || die "irisops init wrote no Dockerfile"
if ! podman image exists "$BASE" 2>/dev/null; then
  log "building the stand-in base image $BASE"
  "$TOOLS/stand-in-node-image" 22 </dev/null
fi
log "podman build -t $IMAGE (init's Dockerfile, IRISOPS=$url)"
start=$(date +%s)
podman build --pull=never --network host --isolation chroot --format docker \
  --build-arg "IRISOPS=$url" -t "$IMAGE" "$project" </dev/null >"$WORK/build.log" 2>&1 \
  || die "podman build of init's Dockerfile failed (build.log below)"
log "built $IMAGE in $(($(date +%s) - start))s"
stop "$http_pid"; http_pid=""

user=$(podman image inspect "$IMAGE" --format '{{.Config.User}}')
case "$user" in "" | root | 0 | 0:*) die "the image runs as root (USER '$user')" ;; esac

# --- run the image's CMD -------------------------------------------------------------------------
# run-image runs the CMD and HEALTHCHECK as written, on the image's PORT (8000); elsewhere the
# same commands get PORT from the environment, as `docker run -e PORT=...` would give it.
image_list() { mapfile -t "$1" < <(podman image inspect "$IMAGE" --format "$2" | sed '/^$/d'); }
image_list cmd '{{range .Config.Entrypoint}}{{println .}}{{end}}{{range .Config.Cmd}}{{println .}}{{end}}'
image_list hc '{{if .HealthCheck}}{{range .HealthCheck.Test}}{{println .}}{{end}}{{end}}'
[ "${#hc[@]}" -gt 1 ] || die "the image has no HEALTHCHECK"
if ! port_taken 8000; then port=8000; else port=$(free_port); log "port 8000 is taken; serving on $port"; fi
base_url="http://127.0.0.1:$port"
if [ "$port" = 8000 ]; then
  "$TOOLS/run-image" "$IMAGE" </dev/null >"$WORK/serve.log" 2>&1 &
else
  "$TOOLS/run-image" "$IMAGE" -- /usr/bin/env "PORT=$port" "${cmd[@]}" </dev/null >"$WORK/serve.log" 2>&1 &
fi
server_pid=$!
healthcheck() {
  if [ "$port" = 8000 ]; then
    "$TOOLS/run-image" "$IMAGE" --healthcheck </dev/null
  else
    local test=("${hc[@]:1}")
    if [ "${hc[0]}" = CMD-SHELL ]; then test=(/bin/sh -c "${hc[1]}"); fi
    "$TOOLS/run-image" "$IMAGE" -- /usr/bin/env "PORT=$port" "${test[@]}" </dev/null
  fi
}

log "running the image's CMD (${cmd[*]}) on $base_url"
node test/container/check-service.mjs wait "$base_url" "$TIMEOUT" "$server_pid"
node test/container/check-service.mjs predict "$base_url"
healthcheck || die "the image's HEALTHCHECK failed against a healthy server"
log "ok HEALTHCHECK passes while the server is healthy"

kill -TERM "$server_pid"
stop_rc=""
for _ in $(seq 300); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    set +e; wait "$server_pid"; stop_rc=$?; set -e
    break
  fi
  sleep 0.1
done
[ -n "$stop_rc" ] || die "the server did not exit within 30s of SIGTERM"
server_pid=""
[ "$stop_rc" = 0 ] || die "the server exited with $stop_rc after SIGTERM (expected 0)"
log "ok SIGTERM -> clean exit 0"

podman image rm "$IMAGE" >/dev/null || die "could not remove $IMAGE"

# --- the same Dockerfile with a local tarball in the project (irisops before it is published) ---
# The build above had none in its context (the Dockerfile's COPY wildcard matched nothing).
cp "$WORK/pkg/$tarball" "$project/"
log "podman build -t $IMAGE (init's Dockerfile, IRISOPS=./$tarball from the build context)"
podman build --pull=never --network host --isolation chroot --format docker \
  --build-arg "IRISOPS=./$tarball" -t "$IMAGE" "$project" </dev/null >"$WORK/build-tarball.log" 2>&1 \
  || die "podman build with a local tarball failed (build-tarball.log below)"
want=$(node -p 'require("./package.json").version')
got=$("$TOOLS/run-image" "$IMAGE" -- irisops --version </dev/null 2>"$WORK/version.log") \
  || die "irisops --version in the tarball-built image failed"
[ "$got" = "$want" ] || die "the tarball-built image has irisops '$got', expected $want"
if "$TOOLS/run-image" "$IMAGE" -- /bin/sh -c 'test -e /tmp/irisops' </dev/null; then
  die "the tarball-built image keeps /tmp/irisops"
fi
log "ok the image built with --build-arg IRISOPS=./$tarball runs irisops $got"
podman image rm "$IMAGE" >/dev/null || die "could not remove $IMAGE"
log "PASS"
