export * from './approval-condition';
export * from './approval-callback-api';
export * from './approval-workflow';
