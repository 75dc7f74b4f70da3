#!/usr/bin/env bash
# `npm run test:busy`: the integration tests with two CPU hogs running beside them, as on a
# shared CI machine (issue 13). The hogs are stopped by their pids on any exit.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v stress-ng >/dev/null || { echo "test:busy needs stress-ng (bash deploy/install-deps.sh)" >&2; exit 1; }
hogs=()
stop_hogs() {
  for p in "${hogs[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${hogs[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap stop_hogs EXIT
trap 'exit 130' INT TERM
for _ in 1 2; do
  stress-ng --cpu 1 --cpu-method int64 --quiet &
  hogs+=("$!")
done
echo "test:busy: CPU hogs ${hogs[*]} running"
vitest run --project integration "$@"
