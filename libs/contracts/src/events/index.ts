export * from './event-types.js';
export * from './event-payloads.js';
export * from './event-base.js';
