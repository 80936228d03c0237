export * from './validation-error.js';
export * from './validate.js';
