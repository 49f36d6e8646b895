import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, IConstruct } from 'constructs';
import { validateApprovalCondition } from './approval-condition';
import { summaryFieldProblems } from './approval-summary';
import type { ApprovalWorkflowProps } from './approval-workflow-props';
import { PropsValidator } from '../core/validation';

const MIN_APPROVAL_TIMEOUT = Duration.minutes(1);
const MAX_APPROVAL_TIMEOUT = Duration.days(365);
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Every prop problem in one error. */
export function validateApprovalWorkflowProps(scope: Construct, props: ApprovalWorkflowProps): void {
  const v = new PropsValidator(scope, 'ApprovalWorkflow');
  if (props.approvalTimeout === undefined || props.approvalTimeout === null) {
    v.fail('approvalTimeout', 'is required: a callback task without a timeout can wait a year unnoticed; pass e.g. Duration.hours(24)', undefined);
  } else {
    v.durationInRange('approvalTimeout', props.approvalTimeout, MIN_APPROVAL_TIMEOUT, MAX_APPROVAL_TIMEOUT);
    if (!props.approvalTimeout.isUnresolved()) {
      const ms = props.approvalTimeout.toMilliseconds();
      v.check(ms % 1000 === 0, 'approvalTimeout', 'must be whole seconds (Step Functions TimeoutSeconds)', props.approvalTimeout);
    }
  }
  if (props.onApproved === undefined || props.onApproved === null) v.fail('onApproved', 'is required: the steps that run once approved', undefined);

  const type = props.stateMachineType ?? sfn.StateMachineType.STANDARD;
  v.check(type === sfn.StateMachineType.STANDARD, 'stateMachineType',
    'must be STANDARD: EXPRESS workflows cannot wait for a task token, and the approval is a callback (.waitForTaskToken) task', type);

  const approvers = props.approvers ?? [];
  const otherDelivery = (props.subscriptions?.length ?? 0) > 0 || props.approvalTopic !== undefined;
  v.check(approvers.length > 0 || otherDelivery, 'approvers',
    'must list at least one email address when neither subscriptions nor an existing approvalTopic delivers the approval request', approvers);
  approvers.forEach((email, i) => v.matches(`approvers[${i}]`, email, EMAIL, 'an email address'));

  validateApprovalCondition(v, 'requiresApproval', props.requiresApproval);
  if (props.summaryFields !== undefined) {
    for (const p of summaryFieldProblems(props.summaryFields, Token.isUnresolved)) v.fail(p.field, p.requirement, p.value);
  }
  v.integerInRange('auditRetentionDays', props.auditRetentionDays, 0, 3650);
  v.integerInRange('callbackReservedConcurrency', props.callbackReservedConcurrency, 1, 1000);
  if (props.executionTimeout && props.approvalTimeout && !props.executionTimeout.isUnresolved() && !props.approvalTimeout.isUnresolved()) {
    const executionMs = props.executionTimeout.toMilliseconds();
    v.check(executionMs > props.approvalTimeout.toMilliseconds() && executionMs <= MAX_APPROVAL_TIMEOUT.toMilliseconds(),
      'executionTimeout', `must be longer than approvalTimeout (${props.approvalTimeout.toHumanString()}) and at most 365 days`, props.executionTimeout);
  }
  for (const [prop, chain] of [['beforeApproval', props.beforeApproval], ['onApproved', props.onApproved], ['onRejected', props.onRejected], ['compensation', props.compensation]] as const) {
    for (const name of callbackTasksWithoutTimeout(chain)) {
      v.fail(prop, 'must not contain a .waitForTaskToken task without a timeout (it could wait a year unnoticed)', name);
    }
  }
  v.throwIfInvalid();
}

/** Names of callback (.waitForTaskToken) task states in `chain` that have no timeout. */
function callbackTasksWithoutTimeout(chain: sfn.IChainable | undefined): string[] {
  if (!chain?.startState) return [];
  const found: string[] = [];
  for (const state of sfn.State.findReachableStates(chain.startState, { includeErrorHandlers: true })) {
    let json: Record<string, unknown>;
    try {
      json = Stack.of(state).resolve(state.toStateJson()) as Record<string, unknown>;
    } catch {
      continue; // a state that cannot render on its own yet is not a task to check
    }
    const resource = typeof json.Resource === 'string' ? json.Resource : JSON.stringify(json.Resource ?? '');
    if (resource.includes('.waitForTaskToken') && json.TimeoutSeconds === undefined && json.TimeoutSecondsPath === undefined) {
      found.push(state.stateId);
    }
  }
  return found;
}

/**
 * Synth-time check that no subscription of the approval topic is plain HTTP: the link is
 * the approver's credential. Covers the `subscriptions` prop (named by index) and any
 * subscription added to the topic elsewhere in the stack.
 */
export function plainHttpSubscriptionProblems(topic: sns.ITopic, fromProps: sns.Subscription[]): string[] {
  const stack = Stack.of(topic);
  const topicArn = JSON.stringify(stack.resolve(topic.topicArn));
  const propIndex = new Map<IConstruct, number>(fromProps.map((s, i) => [s.node.defaultChild!, i]));
  return stack.node.findAll()
    .filter((c): c is sns.CfnSubscription => c instanceof sns.CfnSubscription && c.protocol === sns.SubscriptionProtocol.HTTP)
    .filter((c) => JSON.stringify(stack.resolve(c.topicArn)) === topicArn)
    .map((c) => {
      const where = propIndex.has(c) ? `subscriptions[${propIndex.get(c)}]` : `approvalTopic subscription '${c.node.path}'`;
      return `${where} must not be a plain-HTTP endpoint: approval links are credentials, subscribe an https:// URL instead, got '${c.endpoint}'`;
    });
}
