import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/**
 * The ASL definition of a synthesized state machine, with CloudFormation intrinsics
 * resolved to plausible literals so it can run in aws-local-stepfunctions: pseudo
 * parameters become `aws` / `us-east-1` / `123456789012`, `Fn::GetAtt [X, Arn]` a Lambda
 * ARN named after X, `Ref X` the string X. Pick the machine by logical-id fragment when
 * the stack has several.
 */
export function stateMachineDefinition(stack: Stack, logicalIdContains = ''): Record<string, any> {
  const machines = Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine');
  const ids = Object.keys(machines).filter((id) => id.includes(logicalIdContains));
  if (ids.length !== 1) throw new Error(`expected one state machine matching '${logicalIdContains}', found ${ids.join(', ') || 'none'}`);
  const definition = machines[ids[0]].Properties.DefinitionString;
  return JSON.parse(resolveIntrinsics(definition));
}

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'Stack',
};

function resolveIntrinsics(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, any>;
    if (v['Fn::Join']) {
      const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(resolveIntrinsics).join(separator);
    }
    if (v.Ref) return PSEUDO[v.Ref] ?? v.Ref;
    if (v['Fn::GetAtt']) {
      const [id, attribute] = v['Fn::GetAtt'] as [string, string];
      return attribute === 'Arn' ? `arn:aws:lambda:us-east-1:123456789012:function:${id}` : `${id}.${attribute}`;
    }
  }
  throw new Error(`cannot resolve intrinsic ${JSON.stringify(value)}`);
}
