#!/usr/bin/env bash
# `npm run demo`, the README's run command: from a fresh clone, installs what is missing, builds,
# then runs the whole product on the local MariaDB and Redis with seeded demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/check-services.mjs
bash scripts/install.sh
echo "==> building"
npm run -s build
npm run -s build:backoffice
exec node dist/scripts/demo/demo.main.js
