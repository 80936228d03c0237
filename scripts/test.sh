#!/usr/bin/env bash
# `npm test`, the README's test command and the whole of CI: from a fresh clone, installs what is
# missing, then type-checks, lints, builds, and runs the unit, integration and end-to-end tiers
# against the local MariaDB and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
step() { printf '\n==> %s (%ss)\n' "$*" "$((SECONDS - started))"; }

step "checking MariaDB and Redis"
node scripts/check-services.mjs
bash scripts/install.sh
bash scripts/ensure-chromium.sh
bash scripts/ensure-mdns-tools.sh
bash scripts/ensure-promtool.sh
step "type-checking"
npm run -s typecheck
step "linting"
npm run -s lint
step "building (the Prisma client, the server apps, the backoffice)"
npm run -s build
node dist/libs/testing/src/mysql/drop-orphans.main.js
step "unit tests"
npm run -s test:unit
step "integration tests"
npm run -s test:int
step "end-to-end tests"
npm run -s test:e2e -- --runInBand
step "all tests passed"
