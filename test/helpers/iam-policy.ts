import type { PolicyDocument } from '../../src/api/route-policy';

/** An IAM resource pattern as a regular expression: `*` matches any run of characters (`/` too), `?` one character. */
export function iamGlob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('')}$`);
}

/**
 * Whether an authorizer policy lets a request through to `methodArn`, evaluated as IAM does:
 * an explicit Deny wins, then an Allow, otherwise the implicit deny.
 */
export function policyAllows(policy: PolicyDocument, methodArn: string): boolean {
  const matches = (effect: 'Allow' | 'Deny') => policy.Statement.some((s) => s.Effect === effect && s.Resource.some((r) => iamGlob(r).test(methodArn)));
  return !matches('Deny') && matches('Allow');
}
