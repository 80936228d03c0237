export * from './command-types.js';
export * from './command-payloads.js';
export * from './command-envelope.js';
export * from './command-ack.js';
export * from './command-limits.js';
