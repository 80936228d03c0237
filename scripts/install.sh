#!/usr/bin/env bash
# Installs what the project needs when it is missing or stale: npm packages, exactly as the
# committed lockfile pins them (`npm ci`, which never rewrites package-lock.json), and the generated
# Prisma client. Shared by scripts/test.sh and scripts/demo.sh. On a fresh clone the install takes a
# few minutes (better-sqlite3 compiles from source): it says so, and says it is still going.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/progress.sh
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  run_timed "installing npm packages from package-lock.json (npm ci; a fresh clone takes 2 to 4 minutes)" \
    npm ci --no-audit --no-fund --loglevel=error
fi
if [ ! -f apps/cloud/src/database/generated/client.ts ] || [ prisma/schema.prisma -nt apps/cloud/src/database/generated/client.ts ]; then
  run_timed "generating the Prisma client" npm run -s prisma:generate
fi
