// Three tiers, named by suffix: *.unit.spec.ts (no I/O beyond temp files), *.int.spec.ts (real
// MariaDB, Redis, SQLite, HTTP and Socket.IO inside the test process) and *.e2e.spec.ts (the built
// apps started as real processes). `npm test` runs all three.
import { readFileSync } from 'node:fs';

const swc = JSON.parse(readFileSync(new URL('./.swcrc', import.meta.url), 'utf8'));
delete swc.$schema;

const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false, sourceMaps: 'inline' }] },
  moduleNameMapper: {
    '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/apps/backoffice/dist/'],
  restoreMocks: true,
};

const projects = [
  { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test,scripts}/**/*.unit.spec.ts'] },
  {
    ...base,
    displayName: 'integration',
    testMatch: ['<rootDir>/{apps,libs,test,scripts}/**/*.int.spec.ts'],
    setupFilesAfterEnv: ['<rootDir>/test/setup/integration-timeout.ts'],
  },
  {
    ...base,
    displayName: 'e2e',
    testMatch: ['<rootDir>/{apps,libs,test}/**/*.e2e.spec.ts'],
    setupFilesAfterEnv: ['<rootDir>/test/setup/e2e-timeout.ts'],
  },
];

// TEST_TIER=unit|integration|e2e runs one tier (npm run test:unit and friends); unset runs all.
const tier = process.env.TEST_TIER;
export default { projects: tier ? projects.filter((p) => p.displayName === tier) : projects };
