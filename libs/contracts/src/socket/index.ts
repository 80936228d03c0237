export * from './hub-protocol.js';
