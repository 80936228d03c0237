export * from './node-api.js';
export * from './ingest-api.js';
export * from './node-responses.js';
