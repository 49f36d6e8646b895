import { Aspects, IAspect, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/** One unacknowledged cdk-nag finding. */
export interface NagFinding {
  readonly level: 'error' | 'warning';
  /** Construct path of the offending resource. */
  readonly path: string;
  /** The rule and its message, e.g. `AwsSolutions-SQS3: The SQS queue ...`. */
  readonly message: string;
}

const NAG_RULE = Match.stringLikeRegexp('^(AwsSolutions|Serverless)-');

/**
 * Apply the AwsSolutions and Serverless packs to `stack`, synthesize it and return every
 * finding that is not acknowledged with NagSuppressions. A clean stack returns `[]`, so
 * tests write `expect(unacknowledgedNagFindings(stack)).toEqual([])` and a failure lists
 * each finding with its path.
 *
 * Call it once per stack and after the stack is fully built (it adds Aspects).
 */
export function unacknowledgedNagFindings(stack: Stack, options: { includeWarnings?: boolean } = {}): NagFinding[] {
  const packs: IAspect[] = [new AwsSolutionsChecks({ verbose: true }), new ServerlessChecks({ verbose: true })];
  for (const pack of packs) Aspects.of(stack).add(pack);
  const annotations = Annotations.fromStack(stack);
  const findings: NagFinding[] = annotations.findError('*', NAG_RULE).map((m) => ({
    level: 'error' as const,
    path: m.id,
    message: String(m.entry.data),
  }));
  if (options.includeWarnings) {
    findings.push(...annotations.findWarning('*', NAG_RULE).map((m) => ({
      level: 'warning' as const,
      path: m.id,
      message: String(m.entry.data),
    })));
  }
  return findings;
}

const SQS_CONSUMER_REASON = 'This function is invoked only by an SQS event source mapping (synchronously, by the Lambda poller): a failed record returns ' +
  'to its queue and moves to the queue\'s dead-letter queue after maxReceiveCount receives, which alarms. There are no asynchronous ' +
  'invocations to dead-letter or route to a failure destination.';

/** What a function whose only trigger is a FanoutQueue owes cdk-nag (for NagSuppressions). */
export const SQS_CONSUMER_SUPPRESSIONS = [
  { id: 'Serverless-LambdaDLQ', reason: SQS_CONSUMER_REASON },
  { id: 'Serverless-LambdaAsyncFailureDestination', reason: SQS_CONSUMER_REASON },
];

/** What a function that is only invoked synchronously owes cdk-nag (for NagSuppressions). */
export function synchronousOnlySuppressions(reason: string): Array<{ id: string; reason: string }> {
  return [{ id: 'Serverless-LambdaDLQ', reason }, { id: 'Serverless-LambdaAsyncFailureDestination', reason }];
}
