import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * Retention of every log group the library creates unless a prop says otherwise: long
 * enough to investigate an incident, short enough that logs do not accumulate cost forever.
 */
export const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/**
 * Lambda runtime of every bundled handler. Node.js 22 is what the handlers are bundled
 * for (esbuild target node22); Node.js 20 is deprecated.
 */
export const DEFAULT_RUNTIME = lambda.Runtime.NODEJS_22_X;

/** Graviton: cheaper per GB-second and at least as fast for these handlers. */
export const DEFAULT_ARCHITECTURE = lambda.Architecture.ARM_64;

/** Options for {@link createLogGroup}. */
export interface LogGroupOptions {
  /**
   * The key that encrypts the log group's events: the owning construct's one key. A key
   * created in the app gets the key-policy statement CloudWatch Logs needs; an imported
   * key's policy must already allow it.
   */
  readonly encryptionKey: kms.IKey;
  readonly retention?: logs.RetentionDays;
  readonly removalPolicy?: RemovalPolicy;
  readonly logGroupName?: string;
}

/**
 * The removal policy for a resource CloudFormation cannot snapshot (keys, log groups):
 * DESTROY stays DESTROY, anything else (SNAPSHOT included, which such resources reject at
 * deploy time) becomes RETAIN. Constructs pass their one `removalPolicy` prop through this.
 */
export function withoutSnapshot(policy: RemovalPolicy | undefined): RemovalPolicy {
  return policy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
}

/**
 * A log group encrypted with the owning construct's key, with finite retention; retained
 * on stack deletion unless told otherwise.
 */
export function createLogGroup(scope: Construct, id: string, options: LogGroupOptions): logs.LogGroup {
  allowCloudWatchLogsToUseKey(options.encryptionKey);
  return new logs.LogGroup(scope, id, {
    logGroupName: options.logGroupName,
    retention: options.retention ?? DEFAULT_LOG_RETENTION,
    removalPolicy: withoutSnapshot(options.removalPolicy),
    encryptionKey: options.encryptionKey,
  });
}

const KEYS_SERVING_LOGS = new WeakSet<kms.IKey>();

/**
 * Lets the regional CloudWatch Logs service use `key` for the log groups of the key's
 * account and region only (AWS's documented statement: aws-cdk-lib's LogGroup sets the
 * key but never its policy). Added once per key; a no-op on an imported key.
 */
export function allowCloudWatchLogsToUseKey(key: kms.IKey): void {
  if (KEYS_SERVING_LOGS.has(key)) return;
  KEYS_SERVING_LOGS.add(key);
  const stack = Stack.of(key);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogsOfThisAccount',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      },
    },
  }));
}

/** Options for {@link createEncryptionKey}. */
export interface EncryptionKeyOptions {
  /** What the key encrypts, shown in the KMS console. */
  readonly description: string;
  /** The owning construct's removal policy. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A customer-managed KMS key with yearly rotation, retained on stack deletion unless the
 * owning construct is DESTROY: then it is scheduled for deletion after the shortest
 * pending window (7 days), so a torn-down lab stops paying for it soon.
 */
export function createEncryptionKey(scope: Construct, id: string, options: EncryptionKeyOptions): kms.Key {
  const removalPolicy = withoutSnapshot(options.removalPolicy);
  const key = new kms.Key(scope, id, {
    description: options.description,
    enableKeyRotation: true,
    removalPolicy,
    pendingWindow: removalPolicy === RemovalPolicy.DESTROY ? Duration.days(7) : undefined,
  });
  // A grant hands key use to a principal the key policy does not name: only AWS services
  // acting for an AWS resource (RDS, Lambda, Secrets Manager ...) may create one (CT.KMS.PR.3).
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyGrantsNotForAwsResources',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
  return key;
}

/**
 * The function settings every handler of this library starts from: explicit runtime and
 * architecture, active tracing (the X-Ray SDK is in maintenance, so no SDK in handlers),
 * JSON logs into a dedicated finite-retention log group, and source maps for readable
 * stack traces. Constructs spread these first and their own required settings last.
 */
export function defaultFunctionProps(logGroup: logs.ILogGroup): Omit<lambda.FunctionProps, 'code' | 'handler'> {
  return {
    runtime: DEFAULT_RUNTIME,
    architecture: DEFAULT_ARCHITECTURE,
    tracing: lambda.Tracing.ACTIVE,
    loggingFormat: lambda.LoggingFormat.JSON,
    logGroup,
    environment: { NODE_OPTIONS: '--enable-source-maps' },
  };
}
