#!/usr/bin/env bash
# `make serve`: a Prefect server on 127.0.0.1 and the scheduled publish deployment, on one
# machine. Ctrl-C stops both. The UI is at http://127.0.0.1:${PORT}.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-4200}
export PREFECT_HOME=${PREFECT_HOME:-$PWD/.prefect}
export PREFECT_SERVER_ANALYTICS_ENABLED=false
export PREFECT_API_URL="http://127.0.0.1:${PORT}/api"
mkdir -p "$PREFECT_HOME"

.venv/bin/prefect server start --host 127.0.0.1 --port "$PORT" > "$PREFECT_HOME/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null' EXIT INT TERM

echo "waiting for the Prefect server on 127.0.0.1:${PORT} (log: $PREFECT_HOME/server.log)"
for _ in $(seq 1 120); do
  if .venv/bin/python -c "import httpx,sys; sys.exit(0 if httpx.get('${PREFECT_API_URL}/health', timeout=2).json() is True else 1)" 2>/dev/null; then
    break
  fi
  kill -0 "$server" 2>/dev/null || { echo "the Prefect server stopped; see $PREFECT_HOME/server.log" >&2; exit 1; }
  sleep 1
done
echo "Prefect UI: http://127.0.0.1:${PORT}  — serving the deployment ($*)"
.venv/bin/python -m flows.deploy "$@"
