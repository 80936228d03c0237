export * from './cluster-token-claims.js';
export * from './signing-keys-token.js';
export * from './node-revocations-token.js';
