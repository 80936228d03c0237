#!/usr/bin/env bash
# `npm run demo`, the README's run command: from a fresh clone, installs what is missing, builds,
# then runs the whole product (a fresh clone installs for a few minutes first) on the local MariaDB and Redis with seeded demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
echo "==> checking MariaDB and Redis"
node scripts/check-services.mjs
bash scripts/install.sh
echo "==> building (the Prisma client, the server apps, the backoffice)"
npm run -s build
echo "==> starting the demo ($((SECONDS - started)) s since the start)"
exec node dist/scripts/demo/demo.main.js
