export * from './config';
export * from './errors';
export * from './fingerprint';
export * from './handler';
export * from './logger';
export * from './metrics';
