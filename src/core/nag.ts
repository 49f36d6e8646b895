import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A cdk-nag rule the library acknowledges on a resource, with the reason a reviewer reads. */
export interface NagAcknowledgement {
  /** Rule id, e.g. `AwsSolutions-IAM5`. */
  readonly id: string;
  /** Why the finding is acceptable here (cdk-nag requires at least 10 characters). */
  readonly reason: string;
  /** Finding ids the acknowledgement is limited to, e.g. `Resource::*`. */
  readonly appliesTo?: string[];
}

/**
 * Record acknowledgements in the resource's `cdk_nag` metadata, the format cdk-nag's
 * NagSuppressions writes, so that consumers running cdk-nag see the library's reasons
 * instead of findings - without the library depending on cdk-nag at runtime.
 *
 * `construct` is the L1 resource or an L2 whose default child is one.
 */
export function acknowledgeNagFindings(construct: IConstruct, acknowledgements: NagAcknowledgement[]): void {
  const resource = construct instanceof CfnResource ? construct : construct.node.defaultChild;
  if (!(resource instanceof CfnResource)) {
    throw new Error(`acknowledgeNagFindings: '${construct.node.path}' is not a CloudFormation resource and has none as default child`);
  }
  const existing: Array<Record<string, unknown>> = resource.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
  const added = acknowledgements.map((a) => ({
    id: a.id,
    reason: a.reason,
    ...(a.appliesTo ? { applies_to: a.appliesTo } : {}),
  }));
  const unique = new Map([...existing, ...added].map((r) => [JSON.stringify(r), r]));
  resource.addMetadata('cdk_nag', { rules_to_suppress: [...unique.values()] });
}
