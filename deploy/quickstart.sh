#!/usr/bin/env bash
# Quick start, command 1: install what is needed, build, then run a real failover drill
# (node-loss, fast profile) in the built-in two-node lab and print the downtime report.
# The lab is created in its own namespaces and removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
node dist/cli/main.js check --config deploy/examples/agent.yaml
exec node dist/cli/main.js drill node-loss --routers 1 --profile fast --dir /run/l3ha-quickstart
