export * from './edge-api.js';
