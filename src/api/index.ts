export * from './api-auth';
export * from './api-route';
export * from './api-tier';
export * from './authorized-api';
