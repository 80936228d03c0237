export * from './config/load-config.js';
export * from './errors/app-exception.js';
export * from './errors/global-exception.filter.js';
export * from './validation/zod-validation.pipe.js';
export * from './logging/logger-options.js';
export * from './routes/list-routes.js';
export * from './metrics/process-metrics.js';
export * from './logging/process-logger.js';
