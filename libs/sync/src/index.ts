export * from './lamport.js';
export * from './versions.js';
export * from './lease.js';
export * from './pn-counter.js';
export * from './backoff.js';
export * from './command-state-machine.js';
export * from './domain-state.js';
export * from './dead-letter-rule.js';
