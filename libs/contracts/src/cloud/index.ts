export * from './operator-api.js';
export * from './queue-jobs.js';
export * from './access-tokens.js';
