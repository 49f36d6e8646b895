// The package is ESM-typed; jest loads its CommonJS build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ExecutionError, StateMachine } = require('aws-local-stepfunctions') as typeof import('aws-local-stepfunctions', { with: { 'resolution-mode': 'import' } });

/** How a local execution ended and which states it entered, in order. */
export interface LocalExecution {
  readonly output?: any;
  /** The error the execution failed with (a Fail state's error, or an uncaught task error). */
  readonly error?: { name: string; cause?: string };
  readonly statesEntered: string[];
}

/** What the executor takes besides the input: the context object and the task overrides. */
export interface LocalRunOptions {
  readonly context?: Record<string, unknown>;
  readonly taskHandlers?: Record<string, (payload: any) => Promise<unknown>>;
  /** States whose retries should not wait (interval 0). */
  readonly noRetryWait?: string[];
}

/**
 * Run a JSONPath state machine definition in aws-local-stepfunctions (Node 22) and report
 * its end: the output, or the error it failed with, and the states it entered. A failure
 * of the executor itself (not of the workflow) is thrown.
 */
export async function runLocally(definition: Record<string, any>, input: unknown, options: LocalRunOptions = {}): Promise<LocalExecution> {
  const machine = new StateMachine(definition as any, { validationOptions: { checkArn: false } });
  const execution = machine.run(input as any, {
    context: options.context as any,
    overrides: {
      taskResourceLocalHandlers: options.taskHandlers as any,
      retryIntervalOverrides: Object.fromEntries((options.noRetryWait ?? []).map((state) => [state, 0])),
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
    return { output, statesEntered };
  } catch (err) {
    await collect;
    if (!(err instanceof ExecutionError)) throw err;
    const cause = (err as any).cause ?? (err as any).caughtError;
    return { error: { name: cause?.name ?? err.name, cause: cause?.message }, statesEntered };
  }
}
