# Shell helpers shared by smoke.sh and init-image.sh (sourced; each script defines `log`).

# PID: SIGTERM, then SIGKILL after 5 s
stop() {
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
}

# PID of a process group leader (started with setsid): the same, for the whole group
stop_group() {
  kill -0 "$1" 2>/dev/null || return 0
  kill -TERM -- "-$1" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$1" 2>/dev/null || true
}

# DIR: the tail of every non-empty log in it, to stderr (on failure)
dump_logs() {
  for f in "$1"/*.log; do [ -s "$f" ] && { log "--- $(basename "$f") (last 40 lines)"; tail -n 40 "$f" >&2; }; done
  return 0
}

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

port_taken() {
  node -e 'const c=require("net").connect(+process.argv[1],"127.0.0.1");c.on("connect",()=>process.exit(0));c.on("error",()=>process.exit(1))' "$1"
}
