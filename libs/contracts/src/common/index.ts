export * from './primitives.js';
export * from './uuid-v7.js';
export * from './api-error.js';
export * from './describes.js';
