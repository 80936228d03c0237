import { dropOrphanTestDatabases } from './test-database.js';

// Run by scripts/test.sh before the integration suites: drops databases a crashed run left behind.
const dropped = await dropOrphanTestDatabases();
if (dropped.length > 0) console.log(`dropped ${dropped.length} test database(s) left by earlier runs`);
