#!/usr/bin/env bash
# The whole workshop path on the local store, from a fresh clone: checks Node, installs,
# builds, trains, promotes, serves in the background, predicts, verifies, stops the service.
# Safe to re-run (each run trains a new version and promotes it). Stops at the first failure
# and says what to do.
set -euo pipefail
cd "$(dirname "$0")"
PORT="${PORT:-8000}"
LOG="$(mktemp -t irisops-serve.XXXXXX.log)"
SERVER_PID=""

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() {
  printf '\n\033[31mquickstart stopped:\033[0m %s\n' "$1" >&2
  [ -n "${2:-}" ] && printf 'what to do: %s\n' "$2" >&2
  exit 1
}
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT

say "Checking Node.js (>= 20.12)"
command -v node >/dev/null || fail "node is not installed" "install Node.js 20.12 or newer from https://nodejs.org"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=12)?0:1)' \
  || fail "Node.js $(node --version) is too old" "install Node.js 20.12 or newer"
echo "node $(node --version)"

# before anything is installed or trained: a busy port is found in a second, not at the end
say "Checking that port $PORT is free"
if node -e "require('net').connect($PORT,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"; then
  fail "port $PORT is already in use" "stop what runs there, or run PORT=8001 ./quickstart.sh"
fi
echo "port $PORT is free"

say "Installing dependencies (npm ci)"
npm ci --no-audit --no-fund >/dev/null || fail "npm ci failed" "check your network / npm registry settings, then re-run ./quickstart.sh"

say "Building"
npm run build >/dev/null || fail "the TypeScript build failed" "run npm run build to see the errors"

irisops() { node bin/irisops.js "$@"; }

say "Training a model (logs a run to ./mlruns and registers a version)"
VERSION=$(irisops train --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).registered_model.version))') \
  || fail "training failed" "read the error above; irisops train --help lists the options"
echo "registered iris_classifier version $VERSION"

say "Promoting version $VERSION to @production"
irisops registry promote iris_classifier "$VERSION" --alias production || fail "promotion failed"

say "Starting the service on port $PORT"
# node itself in the background (not the irisops function): $! must be the server, for the cleanup
node bin/irisops.js serve --port "$PORT" >"$LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 50); do
  if node -e "fetch('http://127.0.0.1:$PORT/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || fail "the service exited: $(tail -n 5 "$LOG")" "see $LOG"
  sleep 0.2
done

say "Predicting a setosa flower"
node -e "
fetch('http://127.0.0.1:$PORT/predict', { method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ features: { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 } }) })
  .then(async (r) => { const t = await r.text(); console.log(t); process.exit(r.ok && JSON.parse(t).prediction_label === 'setosa' ? 0 : 1); })
  .catch((e) => { console.error(e.message); process.exit(1); });
" || fail "the prediction did not come back as setosa" "see the service log: $LOG"

say "Verifying the whole setup (irisops verify)"
irisops verify --api-url "http://127.0.0.1:$PORT" || fail "a required check failed" "each failed check above prints the command that fixes it"

say "Stopping the service"
cleanup
SERVER_PID=""

# the hints repeat --port when it is not serve's default, so they work as printed
PORT_FLAG=""
[ "$PORT" = 8000 ] || PORT_FLAG=" --port $PORT"
cat <<NEXT

All done. Next:
  node bin/irisops.js runs ls                       compare your runs
  node bin/irisops.js train --n-estimators 50       train another version
  node bin/irisops.js serve$PORT_FLAG               serve @production on http://127.0.0.1:$PORT (docs at /docs)
  npm test                                          run the test suite
  npm link                                          put 'irisops' on your PATH
NEXT
