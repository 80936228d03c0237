export * from './operator-api.js';
export * from './queue-jobs.js';
export * from './access-tokens.js';
export * from './operator-responses.js';
export * from './health-api.js';
