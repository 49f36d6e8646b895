// Public API of cdk-service-integration: explicit re-exports of every construct group
// (jsii). Each group's index names what users receive; everything else is internal.
export * from './api';
export * from './core';
export * from './data';
export * from './mesh';
export * from './messaging';
export * from './resilience';
export * from './workflow';
