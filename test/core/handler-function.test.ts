import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { HandlerFunction } from '../../src';
import { bundledHandlerCode, bundledHandlerDir } from '../../src/core/handler-code';
import { keyArnOf, logGroupKeys } from '../helpers/encryption';
import { synchronousOnlySuppressions, unacknowledgedNagFindings } from '../helpers/nag';

function build(extra: Partial<ConstructorParameters<typeof HandlerFunction>[2]> = {}) {
  const stack = new Stack(new App(), 'Stack');
  const fn = new HandlerFunction(stack, 'Echo', { code: bundledHandlerCode('echo'), codeName: 'echo', description: 'test function', ...extra });
  return { stack, fn, template: Template.fromStack(stack) };
}

describe('HandlerFunction', () => {
  test('uses the pre-bundled asset and the shared defaults', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 10,
      TracingConfig: { Mode: 'Active' },
      Description: 'test function',
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('the role has no managed policy and may write only to its own log group', () => {
    const { stack, fn, template } = build();
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
    const logGroupArn = { 'Fn::GetAtt': [stack.getLogicalId(fn.logGroup.node.defaultChild as logs.CfnLogGroup), 'Arn'] };
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: logGroupArn }),
        ]),
      },
    });
  });

  test('without encryptionKey, a new rotating key of its own encrypts the log group', () => {
    const { stack, fn, template } = build();
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    expect(Object.values(logGroupKeys(template))).toEqual([keyArnOf(stack, fn.encryptionKey)]);
  });

  test('functions given one encryptionKey share it for their log groups and create no key', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new kms.Key(stack, 'LogsKey', { enableKeyRotation: true });
    const a = new HandlerFunction(stack, 'A', { code: bundledHandlerCode('echo'), description: 'a', encryptionKey: key });
    new HandlerFunction(stack, 'B', { code: bundledHandlerCode('echo'), description: 'b', encryptionKey: key });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(a.encryptionKey).toBe(key);
    expect(Object.values(logGroupKeys(template))).toEqual([keyArnOf(stack, key), keyArnOf(stack, key)]);
  });

  test('memory, timeout and environment can be set; the source-map flag stays', () => {
    const { template } = build({ memorySize: 512, timeout: Duration.seconds(30), environment: { MODE: 'x' } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 512,
      Timeout: 30,
      Environment: { Variables: { MODE: 'x', NODE_OPTIONS: '--enable-source-maps' } },
    });
  });

  test('is cdk-nag clean (AwsSolutions + Serverless) outside and inside a VPC', () => {
    const plain = new Stack(new App(), 'Plain');
    const plainFn = new HandlerFunction(plain, 'Echo', { code: bundledHandlerCode('echo'), description: 'test' });
    NagSuppressions.addResourceSuppressions(plainFn.function, synchronousOnlySuppressions('synchronously invoked in this test fixture'));
    expect(unacknowledgedNagFindings(plain)).toEqual([]);

    const inVpc = new Stack(new App(), 'InVpc');
    const vpc = new ec2.Vpc(inVpc, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const vpcFn = new HandlerFunction(inVpc, 'Echo', { code: bundledHandlerCode('echo'), description: 'test', vpc });
    NagSuppressions.addResourceSuppressions(vpcFn.function, synchronousOnlySuppressions('synchronously invoked in this test fixture'));
    const findings = unacknowledgedNagFindings(inVpc).filter((f) => !f.path.startsWith('/InVpc/Vpc'));
    expect(findings).toEqual([]);
  });

  test('without the acknowledgements the caller owes, cdk-nag reports the asynchronous-failure findings', () => {
    const stack = new Stack(new App(), 'Stack');
    new HandlerFunction(stack, 'Echo', { code: bundledHandlerCode('echo'), description: 'test' });
    const rules = unacknowledgedNagFindings(stack).map((f) => f.message.split(':')[0]);
    expect(rules).toEqual(expect.arrayContaining(['Serverless-LambdaDLQ']));
  });
});

describe('bundled handler lookup', () => {
  test('a missing bundle fails with the command that builds it', () => {
    expect(() => bundledHandlerCode('no-such-handler')).toThrow(/bundled handler 'no-such-handler' is missing.*npx projen bundle:handlers/s);
  });

  test('handler names must be kebab-case folders', () => {
    expect(() => bundledHandlerDir('../etc')).toThrow("bundled handler name must be lower-case kebab-case folders below lambda-src/, got '../etc'");
    expect(bundledHandlerDir('examples/order-service')).toMatch(/assets\/examples\/order-service$/);
  });
});
