export * from './operator-api.js';
