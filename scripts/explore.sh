#!/usr/bin/env bash
# `make explore`: every release of OUTPUT (default output/) in Datasette on 127.0.0.1:${PORT:-8001}.
# The history database (OUTPUT/history.sqlite and its metadata) is rebuilt first when it is
# missing or older than the catalog. Ctrl-C stops Datasette. Extra arguments go to datasette.
set -euo pipefail
cd "$(dirname "$0")/.."
OUTPUT=${OUTPUT:-output}
PORT=${PORT:-8001}
HISTORY="$OUTPUT/history.sqlite"
METADATA="$OUTPUT/history.metadata.json"

if [ ! -f "$OUTPUT/releases.json" ]; then
  echo "explore: no release in $OUTPUT yet (no releases.json): run \`make run\` first" >&2
  exit 1
fi
if [ ! -f "$HISTORY" ] || [ ! -f "$METADATA" ] || [ "$OUTPUT/releases.json" -nt "$HISTORY" ]; then
  echo "building $HISTORY from the releases of $OUTPUT" >&2
  .venv/bin/python -m publish.history.build "$OUTPUT" > /dev/null
fi
echo "Datasette: http://127.0.0.1:${PORT}/history" >&2
exec .venv/bin/datasette serve "$HISTORY" --metadata "$METADATA" --host 127.0.0.1 --port "$PORT" "$@"
