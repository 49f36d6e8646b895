export { ApprovalCondition } from './approval-condition';
export { ApprovalCallbackApi } from './approval-callback-api';
export type { ApprovalCallbackApiProps } from './approval-callback-api-props';
export { ApprovalWorkflow } from './approval-workflow';
export type { ApprovalWorkflowProps } from './approval-workflow-props';
