export * from './cluster-token-claims.js';
