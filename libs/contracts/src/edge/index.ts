export * from './edge-api.js';
export * from './read-models.js';
