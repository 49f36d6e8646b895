import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';

/** How a template refers to `key`'s ARN (what a log group's KmsKeyId holds). */
export function keyArnOf(stack: Stack, key: kms.IKey): unknown {
  return { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] };
}

/** The KmsKeyId of every log group in the template, by logical id (undefined: not encrypted with a customer key). */
export function logGroupKeys(template: Template): Record<string, unknown> {
  return Object.fromEntries(Object.entries(template.findResources('AWS::Logs::LogGroup'))
    .map(([id, resource]) => [id, resource.Properties?.KmsKeyId]));
}

/** The statement ids of `key`'s key policy in the template. */
export function keyPolicySids(template: Template, stack: Stack, key: kms.IKey): string[] {
  const resource = template.toJSON().Resources[stack.getLogicalId(key.node.defaultChild as kms.CfnKey)];
  return (resource.Properties.KeyPolicy.Statement as Array<{ Sid?: string }>).map((s) => s.Sid ?? '');
}
