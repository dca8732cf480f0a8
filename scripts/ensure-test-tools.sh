#!/usr/bin/env bash
# What `npm test` needs beyond npm packages, installed when missing (run as `pretest`, so the
# README's test command works on a fresh machine): the Temporal CLI (built from the Go module
# proxy), Debian's chromium for the portal's browser tests (playwright-core downloads nothing),
# and the Compose plugin for validating docker-compose.yml. Each step is quick when done already.
set -euo pipefail
cd "$(dirname "$0")/.."

npx tsx scripts/ensure-temporal-cli.ts

if [[ -z "${CHROMIUM_PATH:-}" ]] && ! command -v chromium >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need Debian's chromium: sudo apt-get install chromium (or set CHROMIUM_PATH)." >&2
    exit 1
  fi
fi

bash scripts/ensure-docker-compose.sh >/dev/null
