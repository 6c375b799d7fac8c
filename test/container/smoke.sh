#!/usr/bin/env bash
# Container smoke test: builds the Dockerfile with podman, runs the image's own CMD (with its
# WORKDIR, ENV and USER) through ../shared/tools/run-image, then checks /health, a setosa
# prediction, /contract against schemas/, /docs with its assets, the image's HEALTHCHECK, a
# clean exit (0) on SIGTERM, serving from an MLflow server via MLFLOW_TRACKING_URI (when
# .venv has mlflow), and the image size over its base (target: at most 60 MB). Prints the
# size as one JSON line on stdout; exits non-zero on any failure. Last, test/container/init-image.sh
# does the same for the Dockerfile `irisops init` writes.
#
#   test/container/smoke.sh                      # as root (podman, chroot); no TTY needed
#
# Environment (all optional):
#   SMOKE_IMAGE=irisops          image tag to build and run
#   SMOKE_BASE=docker.io/library/node:22-slim   the base image the size is measured against
#   SMOKE_SKIP_BUILD=1           reuse an already built SMOKE_IMAGE
#   SMOKE_PORT=8000              port to serve on; default 8000 when free, else a free port
#                                (passed as PORT, which the image's CMD and HEALTHCHECK honour)
#   SMOKE_TIMEOUT=60             seconds to wait for /health
#   SMOKE_MAX_OVER_BASE_MB=60    size budget over the base image (MB = 10^6 bytes)
#   SMOKE_MLFLOW=auto|1|0        also serve from a real `mlflow server` via MLFLOW_TRACKING_URI
#                                (auto: when .venv/bin/mlflow exists)
#   IRISOPS_SHARED_TOOLS=../shared/tools
#
# Not provable here: run-image uses chroot, not a container, so there is no PID namespace
# (node is not PID 1) and no network namespace (the server binds the host's interfaces).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
TOOLS=${IRISOPS_SHARED_TOOLS:-$ROOT/../shared/tools}
IMAGE=${SMOKE_IMAGE:-irisops}
BASE=${SMOKE_BASE:-docker.io/library/node:22-slim}
TIMEOUT=${SMOKE_TIMEOUT:-60}
MAX_OVER_MB=${SMOKE_MAX_OVER_BASE_MB:-60}
MLFLOW=${SMOKE_MLFLOW:-auto}

log() { printf 'smoke: %s\n' "$*" >&2; }
die() { printf 'smoke: FAIL %s\n' "$*" >&2; exit 1; }
# shellcheck source=test/container/lib.sh
. "$ROOT/test/container/lib.sh"

[ "$(id -u)" = 0 ] || die "needs root (podman image mount and chroot)"
[ -x "$TOOLS/run-image" ] || die "missing $TOOLS/run-image (set IRISOPS_SHARED_TOOLS)"
command -v node >/dev/null || die "needs node on the host for the HTTP checks"

WORK=$(mktemp -d)
server_pid=""
mlflow_pid=""
cleanup() {
  local rc=$?
  [ -z "$server_pid" ] || stop "$server_pid"
  # mlflow server runs uvicorn in a child process: stop its whole process group (setsid below)
  [ -z "$mlflow_pid" ] || stop_group "$mlflow_pid"
  podman image unmount "$IMAGE" >/dev/null 2>&1 || true
  if [ "$rc" != 0 ]; then dump_logs "$WORK"; fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Reads an image's exec-form CMD or HEALTHCHECK test into the array named $1.
image_list() {
  mapfile -t "$1" < <(podman image inspect "$IMAGE" --format "$2" | sed '/^$/d')
}

# --- build -----------------------------------------------------------------------------------
if [ "${SMOKE_SKIP_BUILD:-0}" != 1 ]; then
  if ! podman image exists "$BASE" 2>/dev/null; then
    log "building the stand-in base image $BASE"
    "$TOOLS/stand-in-node-image" 22 </dev/null
  fi
  log "podman build -t $IMAGE ."
  start=$(date +%s)
  podman build --pull=never --network host --isolation chroot --format docker -t "$IMAGE" . </dev/null >"$WORK/build.log" 2>&1 \
    || die "podman build failed (see build.log above)"
  log "built $IMAGE in $(($(date +%s) - start))s"
fi
podman image exists "$IMAGE" || die "no image $IMAGE"

# --- image configuration -----------------------------------------------------------------------
user=$(podman image inspect "$IMAGE" --format '{{.Config.User}}')
case "$user" in "" | root | 0 | 0:*) die "the image runs as root (USER '$user')" ;; esac
image_list cmd '{{range .Config.Entrypoint}}{{println .}}{{end}}{{range .Config.Cmd}}{{println .}}{{end}}'
image_list hc '{{if .HealthCheck}}{{range .HealthCheck.Test}}{{println .}}{{end}}{{end}}'
[ "${#hc[@]}" -gt 1 ] || die "the image has no HEALTHCHECK (was it built with --format docker?)"
hc_interval=$(podman image inspect "$IMAGE" --format '{{if .HealthCheck}}{{.HealthCheck.Interval}}{{end}}')
log "USER $user; CMD ${cmd[*]}; HEALTHCHECK every $hc_interval"
case " ${cmd[*]} " in *" --tracking-uri "*) die "CMD passes --tracking-uri: MLFLOW_TRACKING_URI could not override it" ;; esac

# The image's CMD and HEALTHCHECK, as `docker run -e PORT=$port -e ...` would run them.
run_cmd() { # run_cmd LOGFILE [VAR=value ...]  -> starts in the background, sets server_pid
  local logfile=$1; shift
  "$TOOLS/run-image" "$IMAGE" -- /usr/bin/env "PORT=$port" "$@" "${cmd[@]}" </dev/null >"$logfile" 2>&1 &
  server_pid=$!
}
run_healthcheck() { # exit status of the image's HEALTHCHECK against $port
  local test=("${hc[@]:1}")
  if [ "${hc[0]}" = CMD-SHELL ]; then test=(/bin/sh -c "${hc[1]}"); fi
  if [ "$port" = 8000 ]; then
    "$TOOLS/run-image" "$IMAGE" --healthcheck </dev/null
  else
    "$TOOLS/run-image" "$IMAGE" -- /usr/bin/env "PORT=$port" "${test[@]}" </dev/null
  fi
}
stop_server() { # SIGTERM, bounded wait; sets stop_rc to the exit status
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
}

# --- run the image's CMD -----------------------------------------------------------------------
if [ -n "${SMOKE_PORT:-}" ]; then
  port=$SMOKE_PORT
  ! port_taken "$port" || die "port $port is already in use"
elif ! port_taken 8000; then
  port=8000
else
  port=$(free_port)
  log "port 8000 is taken; serving on $port (PORT=$port)"
fi
base_url="http://127.0.0.1:$port"

if [ "$port" = 8000 ]; then
  "$TOOLS/run-image" "$IMAGE" </dev/null >"$WORK/serve.log" 2>&1 &
  server_pid=$!
else
  run_cmd "$WORK/serve.log"
fi
log "serving the image's CMD on $base_url (pid $server_pid)"
node test/container/check-service.mjs wait "$base_url" "$TIMEOUT" "$server_pid"

# uid of the served process: run-image's child is chroot, which execs into node
child=$(cat "/proc/$server_pid/task/$server_pid/children" 2>/dev/null | awk '{print $1}' || true)
if [ -n "$child" ] && [ -r "/proc/$child/status" ]; then
  uid=$(awk '/^Uid:/ {print $2}' "/proc/$child/status")
  [ "$uid" != 0 ] || die "the server process runs as root"
  log "ok the server runs as uid $uid ($(tr '\0' ' ' <"/proc/$child/cmdline"))"
else
  log "skip: could not find the server process to check its uid"
fi

node test/container/check-service.mjs predict "$base_url"
node test/container/check-service.mjs contract "$base_url"
node test/container/check-service.mjs docs "$base_url"

run_healthcheck || die "the image's HEALTHCHECK failed against a healthy server"
log "ok HEALTHCHECK passes while the server is healthy"
node test/container/check-service.mjs wait "$base_url" 5 "$server_pid" >/dev/null

stop_server
[ "$stop_rc" = 0 ] || die "the server exited with $stop_rc after SIGTERM (expected 0)"
log "ok SIGTERM -> clean exit 0"
if run_healthcheck >/dev/null 2>&1; then die "the HEALTHCHECK passes with the server stopped"; fi
log "ok HEALTHCHECK fails once the server is gone"

# --- the same image, serving from an MLflow server ---------------------------------------------
if [ "$MLFLOW" = auto ]; then [ -x .venv/bin/mlflow ] && MLFLOW=1 || MLFLOW=0; fi
if [ "$MLFLOW" = 1 ]; then
  [ -x .venv/bin/mlflow ] || die "SMOKE_MLFLOW=1 needs .venv/bin/mlflow (pip install -r requirements-mlflow.txt)"
  [ -f dist/cli.js ] || die "SMOKE_MLFLOW=1 needs the host build (npm run build) to train into the server"
  mport=$(free_port)
  murl="http://127.0.0.1:$mport"
  log "starting mlflow server on $murl"
  (cd "$WORK" && exec env -u MLFLOW_TRACKING_URI PYTHONUNBUFFERED=1 setsid "$ROOT/.venv/bin/mlflow" server --host 127.0.0.1 --port "$mport" --workers 1 \
    --backend-store-uri "sqlite:///$WORK/mlflow.db" --artifacts-destination "$WORK/mlartifacts") \
    </dev/null >"$WORK/mlflow.log" 2>&1 &
  mlflow_pid=$!
  ready=0
  for _ in $(seq 120); do
    kill -0 "$mlflow_pid" 2>/dev/null || die "mlflow server exited"
    node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$murl/health" && { ready=1; break; }
    sleep 0.5
  done
  [ "$ready" = 1 ] || die "mlflow server not healthy within 60s"
  # two versions, the second promoted: the image's own store only has version 1
  for _ in 1 2; do
    node bin/irisops.js train --quiet --tracking-uri "$murl" --n-estimators 20 </dev/null >>"$WORK/train.log" 2>&1 \
      || die "irisops train into $murl failed"
  done
  node bin/irisops.js registry promote iris_classifier 2 --alias production --tracking-uri "$murl" </dev/null >>"$WORK/train.log" 2>&1 \
    || die "irisops registry promote on $murl failed"
  run_cmd "$WORK/serve-mlflow.log" "MLFLOW_TRACKING_URI=$murl"
  log "serving the image's CMD with MLFLOW_TRACKING_URI=$murl on $base_url"
  SMOKE_EXPECT_VERSION=2 node test/container/check-service.mjs wait "$base_url" "$TIMEOUT" "$server_pid"
  SMOKE_EXPECT_VERSION=2 node test/container/check-service.mjs predict "$base_url"
  stop_server
  [ "$stop_rc" = 0 ] || die "the server (MLflow mode) exited with $stop_rc after SIGTERM (expected 0)"
  log "ok the image serves the model promoted on an MLflow server"
fi

# --- size --------------------------------------------------------------------------------------
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
base_size=$(podman image inspect --format '{{.Size}}' "$BASE")
over=$((size - base_size))
node -e '
const [image, size, base, baseSize, over, maxMb] = process.argv.slice(1);
const overMb = Math.round(Number(over) / 1e4) / 100;
console.log(JSON.stringify({ image, size_bytes: +size, base, base_size_bytes: +baseSize,
  over_base_bytes: +over, over_base_mb: overMb, max_over_base_mb: +maxMb, ok: overMb <= +maxMb }));
' "$IMAGE" "$size" "$BASE" "$base_size" "$over" "$MAX_OVER_MB"
[ "$over" -le $((MAX_OVER_MB * 1000000)) ] || die "the image adds $over bytes to its base (budget ${MAX_OVER_MB} MB)"

# --- the Dockerfile `irisops init` writes: built, run and removed by its own script -------------
bash "$ROOT/test/container/init-image.sh" || die "init's Dockerfile (test/container/init-image.sh)"
log "PASS"
