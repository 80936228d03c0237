export * from './canonical-json.js';
export * from './keys.js';
export * from './command-signing.js';
export * from './cluster-token.js';
export * from './signing-keys-token.js';
export * from './secrets.js';
export * from './node-revocations-token.js';
