import * as sns from 'aws-cdk-lib/aws-sns';
import { PropsValidator } from '../core/validation';

// SNS filter policy limits (https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html):
// at most five keys (attribute policies count every key; message-body policies count the
// top-level keys), at most 150 value combinations, at most 256 KB of JSON.
export const MAX_FILTER_POLICY_KEYS = 5;
export const MAX_FILTER_POLICY_COMBINATIONS = 150;
export const MAX_FILTER_POLICY_BYTES = 256 * 1024;

/**
 * Check the filter policy of one subscription against the SNS limits, recording every
 * problem in `v` (aws-cdk-lib would throw on the first one, and only for some of them).
 */
export function checkFilterPolicies(
  v: PropsValidator,
  filterPolicy: { [attribute: string]: sns.SubscriptionFilter } | undefined,
  filterPolicyWithMessageBody: { [key: string]: sns.FilterOrPolicy } | undefined,
): void {
  if (filterPolicy && filterPolicyWithMessageBody) {
    v.fail('filterPolicy', 'cannot be combined with filterPolicyWithMessageBody (a subscription filters on attributes or on the body, not both)',
      Object.keys(filterPolicy));
  }
  if (filterPolicy) checkAttributePolicy(v, filterPolicy);
  if (filterPolicyWithMessageBody) checkBodyPolicy(v, filterPolicyWithMessageBody);
}

function checkAttributePolicy(v: PropsValidator, policy: { [attribute: string]: sns.SubscriptionFilter }): void {
  const keys = Object.keys(policy);
  v.check(keys.length >= 1, 'filterPolicy', 'must name at least one attribute (omit it to receive every message)', {});
  v.check(keys.length <= MAX_FILTER_POLICY_KEYS, 'filterPolicy', `must have at most ${MAX_FILTER_POLICY_KEYS} attribute names (SNS limit)`, keys);
  let combinations = 1;
  const rendered: { [key: string]: unknown[] } = {};
  for (const key of keys) {
    const conditions = policy[key].conditions;
    v.check(conditions.length > 0, `filterPolicy.${key}`, 'must have at least one condition (an empty filter matches nothing and SNS rejects it)', conditions);
    combinations *= Math.max(conditions.length, 1);
    rendered[key] = conditions;
  }
  v.check(combinations <= MAX_FILTER_POLICY_COMBINATIONS, 'filterPolicy',
    `must have at most ${MAX_FILTER_POLICY_COMBINATIONS} value combinations (the product of the number of values per attribute; SNS limit)`, combinations);
  checkSize(v, 'filterPolicy', rendered);
}

function checkBodyPolicy(v: PropsValidator, policy: { [key: string]: sns.FilterOrPolicy }): void {
  const keys = Object.keys(policy);
  v.check(keys.length >= 1, 'filterPolicyWithMessageBody', 'must name at least one key (omit it to receive every message)', {});
  v.check(keys.length <= MAX_FILTER_POLICY_KEYS, 'filterPolicyWithMessageBody',
    `must have at most ${MAX_FILTER_POLICY_KEYS} top-level keys (SNS limit)`, keys);
  const state = { combinations: 1, empty: [] as string[] };
  const rendered = renderBody(policy, 1, '', state);
  for (const path of state.empty) {
    v.fail(`filterPolicyWithMessageBody.${path}`, 'must have at least one condition (an empty filter matches nothing and SNS rejects it)', []);
  }
  // Nested values are weighted by their depth, as aws-cdk-lib counts them, so that this
  // check is never looser than the one aws-cdk-lib applies afterwards.
  v.check(state.combinations <= MAX_FILTER_POLICY_COMBINATIONS, 'filterPolicyWithMessageBody',
    `must have at most ${MAX_FILTER_POLICY_COMBINATIONS} value combinations (the product of the number of values per key, nested keys weighted by depth; SNS limit)`,
    state.combinations);
  checkSize(v, 'filterPolicyWithMessageBody', rendered);
}

function renderBody(
  policy: { [key: string]: sns.FilterOrPolicy },
  depth: number,
  prefix: string,
  state: { combinations: number; empty: string[] },
): { [key: string]: unknown } {
  const out: { [key: string]: unknown } = {};
  for (const [key, node] of Object.entries(policy)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (node.isPolicy()) {
      out[key] = renderBody((node as sns.Policy).policyDoc, depth + 1, path, state);
    } else {
      const conditions = (node as sns.Filter).filterDoc.conditions;
      if (conditions.length === 0) state.empty.push(path);
      state.combinations *= Math.max(conditions.length, 1) * depth;
      out[key] = conditions;
    }
  }
  return out;
}

function checkSize(v: PropsValidator, prop: string, rendered: unknown): void {
  let bytes = 0;
  try {
    bytes = Buffer.byteLength(JSON.stringify(rendered), 'utf8');
  } catch {
    return; // tokens that cannot be rendered are resolved by CloudFormation, not checked here
  }
  v.check(bytes <= MAX_FILTER_POLICY_BYTES, prop, `must be at most ${MAX_FILTER_POLICY_BYTES} bytes of JSON (SNS limit)`, `${bytes} bytes`);
}
