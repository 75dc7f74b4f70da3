#!/usr/bin/env bash
# `npm run screenshot`: the README's picture of a drill report. Runs a real node-loss drill
# (1 router, fast profile) in a lab of its own with --html, and renders the page with
# headless Chromium (Debian's chromium, see install-deps.sh) into docs/img/drill-node-loss.png.
# Run as root, after `npm run build`. The drill removes its lab; this removes its scratch dir.
# Environment: ROUTERS (1), PROFILE (fast), OUT (docs/img/drill-node-loss.png), HEIGHT (px).
# `npm run screenshot -- bench` instead renders bench/report.html, redrawn from
# bench/results.json (a real `npm run bench` run), into docs/img/bench.png.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = bench ]; then
  command -v chromium >/dev/null || { echo "screenshot: chromium is missing (bash deploy/install-deps.sh)" >&2; exit 1; }
  [ -s bench/results.json ] || { echo "screenshot: no bench/results.json (npm run bench first)" >&2; exit 1; }
  out="${OUT:-docs/img/bench.png}"
  work="$(mktemp -d /tmp/l3ha-shot-XXXXXX)"
  trap 'rm -rf "$work"' EXIT
  node dist/bench/report.js bench/results.json "$work/report.html"
  mkdir -p "$(dirname "$out")"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$work/profile" --window-size="1040,${HEIGHT:-1400}" \
    --screenshot="$work/shot.png" "file://$work/report.html" 2>/dev/null
  mv "$work/shot.png" "$out"
  echo "screenshot: wrote $out ($(stat -c %s "$out") bytes)"
  exit 0
fi
routers="${ROUTERS:-1}"
profile="${PROFILE:-fast}"
out="${OUT:-docs/img/drill-node-loss.png}"
height="${HEIGHT:-800}"
command -v chromium >/dev/null || { echo "screenshot: chromium is missing (bash deploy/install-deps.sh)" >&2; exit 1; }
work="$(mktemp -d /tmp/l3ha-shot-XXXXXX)"
trap 'rm -rf "$work"' EXIT
run_id="shot$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
# The drill exits 1 when a check fails; the page shows the failure, so it is still a picture.
node dist/cli/main.js drill node-loss --routers "$routers" --profile "$profile" \
  --html "$work/drill.html" --run-id "$run_id" --dir "$work/lab" || [ $? -eq 1 ]
[ -s "$work/drill.html" ] || { echo "screenshot: the drill wrote no page" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
  --user-data-dir="$work/profile" --window-size="1040,$height" \
  --screenshot="$work/shot.png" "file://$work/drill.html" 2>/dev/null
mv "$work/shot.png" "$out"
echo "screenshot: wrote $out ($(stat -c %s "$out") bytes)"
