export * from './domain-definition.js';
export * from './registry.js';
export * from './settings.domain.js';
export * from './menu.domain.js';
export * from './users.domain.js';
export * from './roles.domain.js';
