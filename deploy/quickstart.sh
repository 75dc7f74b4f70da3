#!/usr/bin/env bash
# Quick start, command 1: install what is needed, build, and show l3ha working.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
node dist/cli/main.js check --config deploy/examples/agent.yaml
node dist/cli/main.js render --config deploy/examples/agent.yaml --router r1
