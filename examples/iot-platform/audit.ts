import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/** Requests per 5 minutes from one IP address before the web ACL blocks it. */
export const RATE_LIMIT_PER_IP = 1000;
/** Requests per 5 minutes with one credential (Authorization header), from any number of IPs. */
export const RATE_LIMIT_PER_CREDENTIAL = 300;

/**
 * The REST API's web ACL: two rate-based rules, per client IP and per credential (the
 * Authorization header), so one leaked token or key is bounded even when it is used from
 * many addresses. WAF cannot be attached to HTTP or WebSocket APIs; their stage throttles
 * bound those.
 */
export function createRestWebAcl(scope: Construct): wafv2.CfnWebACL {
  const visibility = (name: string) => ({ cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true });
  return new wafv2.CfnWebACL(scope, 'RestWebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: visibility('iot-rest-web-acl'),
    rules: [
      {
        name: 'RateLimitPerIp',
        priority: 0,
        action: { block: {} },
        statement: { rateBasedStatement: { limit: RATE_LIMIT_PER_IP, aggregateKeyType: 'IP' } },
        visibilityConfig: visibility('iot-rate-per-ip'),
      },
      {
        name: 'RateLimitPerCredential',
        priority: 1,
        action: { block: {} },
        statement: {
          rateBasedStatement: {
            limit: RATE_LIMIT_PER_CREDENTIAL,
            aggregateKeyType: 'CUSTOM_KEYS',
            customKeys: [{ header: { name: 'authorization', textTransformations: [{ priority: 0, type: 'NONE' }] } }],
          },
        },
        visibilityConfig: visibility('iot-rate-per-credential'),
      },
    ],
  });
}

/**
 * Firmware images and the devices' mutual-TLS truststore (public CA certificates). S3-managed
 * encryption: whoever deploys a domain must read the truststore, and no key grant is needed
 * for that. TLS only, versioned, no public access, emptied and deleted with the stack.
 */
export function createDeviceBucket(scope: Construct): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'DeviceArtifacts', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
    // A replaced firmware image or truststore stays restorable for a month.
    lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
  });
  NagSuppressions.addResourceSuppressions(bucket, [{
    id: 'AwsSolutions-S1',
    reason: 'Reads of firmware and truststore objects are recorded by the CloudTrail data-event trail (-c auditDataEvents=on), object by object, which is what server access logs would add here; a log bucket would cost at idle.',
  }]);
  return bucket;
}

export interface DataEventTrailProps {
  /** The device registry table's ARN. */
  readonly registryTableArn: string;
  readonly deviceBucket: s3.IBucket;
}

/**
 * A trail of data events only, for the device registry table and the device bucket: who
 * read or changed which device record or firmware object. Management events stay with the
 * account's own trail. Never the readings table: at a million devices that would be tens of
 * thousands of dollars a month (capacity-model.md).
 */
export function createDataEventTrail(scope: Construct, props: DataEventTrailProps): cloudtrail.CfnTrail {
  const key = new kms.Key(scope, 'TrailKey', {
    enableKeyRotation: true,
    pendingWindow: Duration.days(7),
    removalPolicy: RemovalPolicy.DESTROY,
    description: 'IoT platform data-event trail',
  });
  const bucket = new s3.Bucket(scope, 'TrailBucket', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    lifecycleRules: [{ expiration: Duration.days(30) }],
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
  });
  NagSuppressions.addResourceSuppressions(bucket, [{ id: 'AwsSolutions-S1', reason: 'The trail bucket holds audit logs itself; logging access to it into another bucket would recurse.' }]);
  const trail = new cloudtrail.Trail(scope, 'DataEventTrail', {
    bucket,
    encryptionKey: key,
    includeGlobalServiceEvents: false,
    isMultiRegionTrail: false,
    enableFileValidation: true,
  });
  // Advanced selectors replace basic ones (CloudFormation rejects both together) and record
  // exactly what they select: with no management-event selector among them, management
  // events stay with the account's own trail. The L2 covers only S3 and Lambda data events.
  const cfn = trail.node.defaultChild as cloudtrail.CfnTrail;
  cfn.eventSelectors = undefined;
  cfn.advancedEventSelectors = [
    {
      name: 'Device registry',
      fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: ['AWS::DynamoDB::Table'] },
        { field: 'resources.ARN', equalTo: [props.registryTableArn] },
      ],
    },
    {
      name: 'Device bucket objects',
      fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
        { field: 'resources.ARN', startsWith: [`${props.deviceBucket.bucketArn}/`] },
      ],
    },
  ];
  return cfn;
}
