export * from './validation-error.js';
export * from './validate.js';
export * from './well-formed.js';
