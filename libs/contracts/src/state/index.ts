export * from './menu.js';
export * from './settings.js';
export * from './users.js';
export * from './roles.js';
