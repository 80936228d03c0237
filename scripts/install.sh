#!/usr/bin/env bash
# Installs what the project needs when it is missing or stale: npm packages, exactly as the
# committed lockfile pins them (`npm ci`, which never rewrites package-lock.json), and the generated
# Prisma client. Shared by scripts/test.sh and scripts/demo.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> installing npm packages from package-lock.json (npm ci; the first run takes a few minutes)"
  npm ci --no-audit --no-fund
fi
if [ ! -f apps/cloud/src/database/generated/client.ts ] || [ prisma/schema.prisma -nt apps/cloud/src/database/generated/client.ts ]; then
  echo "==> generating the Prisma client"
  npm run -s prisma:generate
fi
