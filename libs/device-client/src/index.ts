export * from './hub-client.js';
export * from './device-store.js';
