export * from './fixtures/event-fixtures.js';
export * from './fixtures/state-fixtures.js';
