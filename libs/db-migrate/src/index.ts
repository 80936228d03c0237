export * from './mysql-url.js';
export * from './migration-files.js';
export * from './migration-runner.js';
