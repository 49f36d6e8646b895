// Public API of cdk-service-integration: flat re-exports of every construct group (jsii).
// src/core holds internal helpers and is deliberately not exported.
export * from './api';
export * from './data';
export * from './mesh';
export * from './messaging';
export * from './resilience';
export * from './workflow';
