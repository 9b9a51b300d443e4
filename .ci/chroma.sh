#!/usr/bin/env bash
# Starts and stops a local Chroma server (127.0.0.1 only) for CI and for running the examples by hand.
# The LangChain tests do not need it: they start their own server. Usage:
#   bash .ci/chroma.sh start [PORT] [DATA_DIR]   background server; waits for its heartbeat, prints CHROMA_URL=...
#   bash .ci/chroma.sh stop                      stops the server started by `start` (by its PID)
#   bash .ci/chroma.sh serve [PORT] [DATA_DIR]   foreground server (Ctrl-C to stop)
# PORT defaults to 8000, DATA_DIR to a new temp folder (deleted by `stop`); the PID file is
# $CHROMA_PID_FILE, default .cache/chroma/chroma.pid.
#
# The server is chromadb-js-bindings-linux-x64-gnu@0.1.3 (Chroma 1.0.0), installed by `pnpm install` as an
# optional dependency of test/: chromadb 3.x's own bindings need glibc 2.38+, which Debian 12 lacks.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PID_FILE="${CHROMA_PID_FILE:-$ROOT/.cache/chroma/chroma.pid}"
COMMAND="${1:-}"
PORT="${2:-8000}"

bindings() {
  (cd "$ROOT/test" && node -e "process.stdout.write(require.resolve('chromadb-js-bindings-linux-x64-gnu'))") 2>/dev/null || {
    echo "chroma.sh: chromadb-js-bindings-linux-x64-gnu is not installed (run pnpm install on linux-x64)." >&2
    exit 1
  }
}

# The bindings' cli serves on the calling thread and never returns.
SERVE="require(process.argv[1]).cli(['chroma', 'run', '--path', process.argv[2], '--host', '127.0.0.1', '--port', process.argv[3]])"

case "$COMMAND" in
  serve)
    DATA_DIR="${3:-$(mktemp -d -t crossrank-chroma-XXXXXX)}"
    exec env ANONYMIZED_TELEMETRY=False node -e "$SERVE" "$(bindings)" "$DATA_DIR" "$PORT"
    ;;
  start)
    if [[ -f "$PID_FILE" ]] && kill -0 "$(head -n1 "$PID_FILE")" 2>/dev/null; then
      echo "chroma.sh: a server is already running (PID $(head -n1 "$PID_FILE")); run 'bash .ci/chroma.sh stop' first." >&2
      exit 1
    fi
    if [[ -n "${3:-}" ]]; then DATA_DIR="$3"; OWN_DIR=""; else DATA_DIR="$(mktemp -d -t crossrank-chroma-XXXXXX)"; OWN_DIR="$DATA_DIR"; fi
    mkdir -p "$(dirname "$PID_FILE")"
    LOG="$(dirname "$PID_FILE")/chroma.log"
    BINDINGS="$(bindings)"
    ANONYMIZED_TELEMETRY=False nohup node -e "$SERVE" "$BINDINGS" "$DATA_DIR" "$PORT" >"$LOG" 2>&1 &
    PID=$!
    # Line 1: PID to kill; line 2: a temp data folder to delete on stop (empty when the caller gave one).
    printf '%s\n%s\n' "$PID" "$OWN_DIR" >"$PID_FILE"
    URL="http://127.0.0.1:$PORT"
    for _ in $(seq 1 150); do
      if ! kill -0 "$PID" 2>/dev/null; then
        echo "chroma.sh: the server exited during startup; its log ($LOG):" >&2
        tail -n 20 "$LOG" >&2
        rm -f "$PID_FILE"
        exit 1
      fi
      if node -e "fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))" "$URL/api/v2/heartbeat"; then
        echo "CHROMA_URL=$URL"
        exit 0
      fi
      sleep 0.2
    done
    echo "chroma.sh: no heartbeat from $URL after 30 s; stopping it." >&2
    kill "$PID" 2>/dev/null || true
    rm -f "$PID_FILE"
    exit 1
    ;;
  stop)
    [[ -f "$PID_FILE" ]] || { echo "chroma.sh: no PID file at $PID_FILE; nothing to stop."; exit 0; }
    PID="$(sed -n 1p "$PID_FILE")"
    OWN_DIR="$(sed -n 2p "$PID_FILE")"
    if kill -0 "$PID" 2>/dev/null; then
      kill -TERM "$PID"
      for _ in $(seq 1 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$PID" 2>/dev/null && kill -KILL "$PID"
    fi
    [[ -n "$OWN_DIR" ]] && rm -rf "$OWN_DIR"
    rm -f "$PID_FILE"
    echo "chroma.sh: stopped PID $PID."
    ;;
  *)
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
