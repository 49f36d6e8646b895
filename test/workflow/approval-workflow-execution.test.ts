import { App, Duration, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { ApprovalCondition, ApprovalWorkflow } from '../../src/workflow';
import { stateMachineDefinition } from '../helpers/state-machine-definition';

// The package is ESM-typed; jest loads its CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ExecutionError, StateMachine } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions', { with: { 'resolution-mode': 'import' } });

// Runs the synthesized definition in aws-local-stepfunctions (JSONPath only; Node 22).
// The RequestApproval task is overridden: its return value stands for SendTaskSuccess,
// and throwing an error named ApprovalRejected / States.Timeout stands for
// SendTaskFailure / the task timeout. The caller's steps are Pass states, so the event log
// shows which of them ran.

interface Options {
  readonly requiresApproval?: ApprovalCondition;
  readonly onRejected?: boolean;
  readonly failingPayment?: boolean;
  readonly summaryFields?: Record<string, string>;
}

function synthesize(props: Options = {}) {
  const stack = new Stack(new App(), 'Stack');
  new ApprovalWorkflow(stack, 'Orders', {
    approvers: ['ops@example.com'],
    approvalTimeout: Duration.hours(24),
    requiresApproval: props.requiresApproval ?? ApprovalCondition.numberGreaterThan('$.amount', 100),
    beforeApproval: new sfn.Pass(stack, 'ReserveStock', { result: sfn.Result.fromString('reserved'), resultPath: '$.reservation' }),
    onApproved: props.failingPayment
      ? new sfn.Fail(stack, 'ChargeCard', { error: 'PaymentDeclined', cause: 'card declined' })
      : new sfn.Pass(stack, 'ChargeCard', { parameters: { 'charged.$': '$.amount', 'approval.$': '$.approval' } }),
    onRejected: props.onRejected ? new sfn.Pass(stack, 'NotifyCustomer', { result: sfn.Result.fromString('clobbered'), resultPath: '$' }) : undefined,
    compensation: new sfn.Pass(stack, 'ReleaseStock', { result: sfn.Result.fromString('clobbered'), resultPath: '$' }),
    summaryFields: props.summaryFields,
  });
  return stateMachineDefinition(stack);
}

interface RunResult {
  readonly output?: unknown;
  readonly error?: { name: string; cause?: string };
  readonly statesEntered: string[];
  readonly requests: unknown[];
}

async function run(definition: Record<string, any>, input: unknown, approvalTask: (payload: any, attempt: number) => unknown): Promise<RunResult> {
  const machine = new StateMachine(definition as any, { validationOptions: { checkArn: false } });
  const requests: unknown[] = [];
  const execution = machine.run(input as any, {
    // The local executor does not maintain $$.State; the context stands for the approval state.
    context: {
      Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:Orders:exec-1' },
      State: { Name: 'RequestApproval', EnteredTime: '2026-11-22T09:00:00.000Z' },
      Task: { Token: 'local-task-token' },
    } as any,
    overrides: {
      taskResourceLocalHandlers: {
        RequestApproval: async (payload: any) => {
          requests.push(payload);
          return approvalTask(payload.Payload, requests.length) as any;
        },
      },
      retryIntervalOverrides: { RequestApproval: 0 },
    },
  });
  const statesEntered: string[] = [];
  const collect = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') statesEntered.push((event as any).state.name);
    }
  })();
  try {
    const output = await execution.result;
    await collect;
    return { output, statesEntered, requests };
  } catch (err) {
    await collect;
    if (!(err instanceof ExecutionError)) throw err;
    const cause = (err as any).cause ?? (err as any).caughtError;
    return { error: { name: cause?.name ?? err.name, cause: cause?.message }, statesEntered, requests };
  }
}

const namedError = (name: string, message: string) => Object.assign(new Error(message), { name });
const approvedOutput = { decision: 'APPROVED', approvalId: 'a'.repeat(22), decidedAt: '2026-11-22T10:00:00.000Z', comment: 'ok' };

describe('ApprovalWorkflow definition executed locally', () => {
  test('an order under the threshold needs no approval and goes straight to onApproved', async () => {
    const result = await run(synthesize(), { amount: 50 }, () => {
      throw new Error('must not be asked');
    });
    expect(result.error).toBeUndefined();
    expect(result.requests).toHaveLength(0);
    expect(result.statesEntered).toEqual(['ReserveStock', 'RequiresApproval', 'NoApprovalNeeded', 'Approved', 'ChargeCard']);
    expect(result.output).toEqual({ charged: 50, approval: { decision: 'NOT_REQUIRED' } });
  });

  test('an approved order runs onApproved with the decision in $.approval', async () => {
    const result = await run(synthesize(), { amount: 500, customer: 'c-1' }, () => approvedOutput);
    expect(result.error).toBeUndefined();
    expect(result.statesEntered).toEqual(['ReserveStock', 'RequiresApproval', 'RequestApproval', 'Approved', 'ChargeCard']);
    expect(result.output).toEqual({ charged: 500, approval: approvedOutput });
  });

  test('the approval task receives the token, execution, state name and entry time, and no request data by default', async () => {
    const result = await run(synthesize(), { amount: 500, card: '4111111111111111' }, () => approvedOutput);
    expect(result.requests).toEqual([{
      FunctionName: expect.stringContaining('arn:aws:lambda:us-east-1:123456789012:function:'),
      Payload: {
        taskToken: 'local-task-token',
        executionArn: 'arn:aws:states:us-east-1:123456789012:execution:Orders:exec-1',
        stateName: 'RequestApproval',
        enteredTime: '2026-11-22T09:00:00.000Z',
      },
    }]);
  });

  test('with summary fields named, the task also gets the state to pick them from - even a state that lacks them', async () => {
    const definition = synthesize({ summaryFields: { orderId: '$.orderId', amount: '$.amount' } });
    const result = await run(definition, { amount: 500 }, () => approvedOutput);
    expect((result.requests[0] as any).Payload.state).toEqual({ amount: 500, reservation: 'reserved' });
    const missing = await run(definition, {}, () => approvedOutput); // fails closed: asks, with what there is
    expect(missing.statesEntered).toEqual(['ReserveStock', 'RequiresApproval', 'RequestApproval', 'Approved', 'ChargeCard']);
  });

  test('a missing or non-numeric amount fails closed: approval is required', async () => {
    for (const input of [{}, { amount: '5' }]) {
      const result = await run(synthesize(), input, () => approvedOutput);
      expect(result.statesEntered).toContain('RequestApproval');
    }
  });

  test('a rejection runs onRejected, then compensation, and fails with ApprovalRejected', async () => {
    const result = await run(synthesize({ onRejected: true }), { amount: 500 }, () => {
      throw namedError('ApprovalRejected', JSON.stringify({ decision: 'REJECTED', comment: 'too expensive' }));
    });
    expect(result.statesEntered).toEqual([
      'ReserveStock', 'RequiresApproval', 'RequestApproval', 'Rejected', 'OnRejected', 'NotifyCustomer', 'Compensate', 'ReleaseStock', 'Outcome', 'ApprovalRejected',
    ]);
    expect(result.statesEntered).not.toContain('ChargeCard');
    expect(result.error?.name).toBe('ApprovalRejected');
  });

  test('an approval that times out takes the Expired path, compensates and fails with ApprovalExpired', async () => {
    const result = await run(synthesize(), { amount: 500 }, () => {
      throw namedError('States.Timeout', 'task timed out');
    });
    expect(result.statesEntered).toEqual(['ReserveStock', 'RequiresApproval', 'RequestApproval', 'Expired', 'Compensate', 'ReleaseStock', 'Outcome', 'ApprovalExpired']);
    expect(result.error?.name).toBe('ApprovalExpired');
  });

  test('a request that expired before its link went out takes the Expired path, compensates and fails with ApprovalExpired', async () => {
    const result = await run(synthesize(), { amount: 500 }, () => {
      throw namedError('ApprovalRequestExpired', 'the approval request expired before its link could be sent');
    });
    expect(result.statesEntered).toEqual(['ReserveStock', 'RequiresApproval', 'RequestApproval', 'Expired', 'Compensate', 'ReleaseStock', 'Outcome', 'ApprovalExpired']);
    expect(result.requests).toHaveLength(1);
    expect(result.error?.name).toBe('ApprovalExpired');
  });

  test('a failing approval request compensates and fails with WorkflowFailed', async () => {
    const result = await run(synthesize(), { amount: 500 }, () => {
      throw namedError('HandlerError', 'INVALID_REQUEST');
    });
    expect(result.statesEntered).toEqual(['ReserveStock', 'RequiresApproval', 'RequestApproval', 'Compensate', 'ReleaseStock', 'Outcome', 'WorkflowFailed']);
    expect(result.error?.name).toBe('WorkflowFailed');
  });

  test('a transient failure of the approval request is retried (the request is idempotent)', async () => {
    const result = await run(synthesize(), { amount: 500 }, (_payload, attempt) => {
      if (attempt < 3) throw namedError('ApprovalRequestTransient', 'throttled');
      return approvedOutput;
    });
    expect(result.error).toBeUndefined();
    expect(result.requests).toHaveLength(3);
    expect(result.statesEntered).toEqual(['ReserveStock', 'RequiresApproval', 'RequestApproval', 'Approved', 'ChargeCard']);
  });

  test('a rejection is never retried: exactly one approval request is made', async () => {
    const result = await run(synthesize(), { amount: 500 }, () => {
      throw namedError('ApprovalRejected', '{}');
    });
    expect(result.requests).toHaveLength(1);
  });

  test('a failure in onApproved after approval compensates and fails with WorkflowFailed', async () => {
    const result = await run(synthesize({ failingPayment: true }), { amount: 500 }, () => approvedOutput);
    expect(result.statesEntered).toEqual([
      'ReserveStock', 'RequiresApproval', 'RequestApproval', 'Approved', 'ChargeCard', 'Compensate', 'ReleaseStock', 'Outcome', 'WorkflowFailed',
    ]);
    expect(result.error?.name).toBe('WorkflowFailed');
  });

  test('with ApprovalCondition.always() every execution asks, and there is no Choice state', async () => {
    const definition = synthesize({ requiresApproval: ApprovalCondition.always() });
    expect(Object.values(definition.States).some((s: any) => s.Type === 'Choice' && s !== definition.States.Outcome)).toBe(false);
    const result = await run(definition, { amount: 1 }, () => approvedOutput);
    expect(result.statesEntered).toEqual(['ReserveStock', 'RequestApproval', 'Approved', 'ChargeCard']);
  });
});
