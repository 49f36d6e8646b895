import { arnPrefixEnd, parseMethodArn } from '../../lambda-src/authorizer/method-arn';
import { RouteMatcher } from '../../src/api/route-matcher';
import { RouteRule } from '../../src/api/route-policy';

// The authorizer matches requests with precomputed tables and reads method ARNs by offsets.
// These tests hold both to plain reference implementations written from the rules: API
// Gateway's preference order, scored template by template, and the ARN grammar as one regex.

/**
 * Reference (the matcher before it was precomputed): score every template against the split
 * path, per segment literal 3 > parameter 2 > greedy 1, then a method 1 over ANY 0; the
 * highest score wins, the first route a tie.
 */
function referenceMatch(routes: readonly RouteRule[], method: string, path: string): number | undefined {
  const split = (p: string) => p.split('/').filter((s) => s.length > 0);
  const segments = split(path);
  let best: { index: number; score: number[] } | undefined;
  routes.forEach((route, index) => {
    if (route.method !== method && route.method !== 'ANY') return;
    const score = templateScore(split(route.path), segments);
    if (!score) return;
    score.push(route.method === 'ANY' ? 0 : 1);
    if (!best || compare(score, best.score) > 0) best = { index, score };
  });
  return best?.index;
}

function templateScore(template: string[], segments: string[]): number[] | undefined {
  const score: number[] = [];
  for (let i = 0; i < template.length; i++) {
    if (/^\{[^}]+\+\}$/.test(template[i])) {
      if (segments.length <= i) return undefined;
      score.push(1);
      return score;
    }
    if (i >= segments.length) return undefined;
    if (/^\{[^}]+\}$/.test(template[i])) score.push(2);
    else if (template[i] === segments[i]) score.push(3);
    else return undefined;
  }
  return template.length === segments.length ? score : undefined;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const ARN_GRAMMAR = /^(arn:[^:]+:execute-api:[^:]+:[^:]+:[^/]+\/[^/]+\/)([^/]+)(\/.*)?$/;

/** A small deterministic generator, so a failure names a reproducible case. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('authorizer routing', () => {
  const TEMPLATE_SEGMENTS = ['orders', 'items', 'a', '{id}', '{x}', '{proxy+}', 'export'];
  const PATH_SEGMENTS = ['orders', 'items', 'a', '42', 'export', '', 'b'];
  const METHODS = ['GET', 'POST', 'ANY', 'DELETE'];

  test('the matcher picks the same route as the reference on 20,000 random tables and requests', () => {
    const next = random(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
    const mismatches: string[] = [];
    for (let t = 0; t < 400; t++) {
      const routes: RouteRule[] = Array.from({ length: 1 + Math.floor(next() * 8) }, () => ({
        method: pick(METHODS),
        path: '/' + Array.from({ length: Math.floor(next() * 4) }, () => pick(TEMPLATE_SEGMENTS)).join('/'),
        scopes: [],
      }));
      const matcher = new RouteMatcher(routes);
      for (let r = 0; r < 50; r++) {
        const method = pick(['GET', 'POST', 'DELETE', 'PATCH']);
        const path = '/' + Array.from({ length: Math.floor(next() * 5) }, () => pick(PATH_SEGMENTS)).join('/') + (next() < 0.2 ? '/' : '');
        const expected = referenceMatch(routes, method, path);
        if (matcher.match(method, path) !== expected) mismatches.push(`${JSON.stringify(routes)} ${method} ${path}: expected ${expected}`);
        const arn = `arn:aws:execute-api:eu-west-1:123456789012:abc/prod/${method}${path === '/' ? '' : path}`;
        const parts = parseMethodArn(arn)!;
        if (matcher.matchIn(arn, parts.prefixEnd, parts.methodEnd, arn, parts.methodEnd, arn.length) !== expected) mismatches.push(`ARN ${arn}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  test('exact templates are found for REQUEST and HTTP API events, a method before ANY', () => {
    const matcher = new RouteMatcher([
      { method: 'ANY', path: '/orders/{id}', scopes: [] },
      { method: 'GET', path: '/orders/{id}', scopes: [] },
      { method: 'GET', path: '/orders/{id}', scopes: ['duplicate'] },
    ]);
    expect(matcher.find('GET', '/orders/{id}')).toBe(1);
    expect(matcher.find('PUT', '/orders/{id}')).toBe(0);
    expect(matcher.find('GET', '/orders/42')).toBeUndefined();
  });

  test('the method ARN reader accepts exactly what the ARN grammar accepts', () => {
    const arns = [
      'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/orders/42',
      'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET',
      'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/',
      'arn:aws-us-gov:execute-api:us-gov-west-1:1:id/$default/POST//a//b/',
      'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/',
      'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod',
      'arn:aws:execute-api:eu-west-1:123456789012:abc123//GET/x',
      'arn:aws:execute-api:eu-west-1:123456789012:/prod/GET/x',
      'arn:aws:execute-api:eu-west-1::abc/prod/GET/x',
      'arn:aws:execute-api::1:abc/prod/GET/x',
      'arn::execute-api:r:1:abc/prod/GET/x',
      'arn:aws:lambda:eu-west-1:1:abc/prod/GET/x',
      'ARN:aws:execute-api:r:1:abc/prod/GET/x',
      'arn:aws:execute-api:r:1:a:b:c/prod/GET/x',
      'arn:aws:execute-api:r/x:1:abc/prod/GET/x',
      'arn:aws:execute-api:r:1:abc/prod/GET/x\ny',
      'arn:aws:execute-api:r:1:abc/prod/GE\nT/x',
      'arn:aws:execute-api:r:1:abc/prod/GET/x\u2028',
      'arn:aws:execute-api:r:1:abc/st\nage/GET/x',
      'arn:aws:execute-api:r:1:abc/prod/GET/x\r',
      'arn:aws:execute-api:r:1:abc/prod/GET/*/refund',
      '',
      'arn:aws:execute-api:',
    ];
    for (const arn of arns) {
      const m = ARN_GRAMMAR.exec(arn);
      const parts = parseMethodArn(arn);
      expect({ arn, parts: parts && { prefix: arn.slice(0, parts.prefixEnd), method: arn.slice(parts.prefixEnd, parts.methodEnd), path: arn.slice(parts.methodEnd) || '/' } })
        .toEqual({ arn, parts: m ? { prefix: m[1], method: m[2], path: m[3] ?? '/' } : undefined });
      const prefix = /^(arn:[^:]+:execute-api:[^:]+:[^:]+:[^/]+\/[^/]+\/)/.exec(arn)?.[1];
      expect({ arn, prefix: arnPrefixEnd(arn) < 0 ? undefined : arn.slice(0, arnPrefixEnd(arn)) }).toEqual({ arn, prefix });
    }
  });
});
