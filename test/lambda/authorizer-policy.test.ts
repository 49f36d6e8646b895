import { Authorizer, Principal } from '../../lambda-src/authorizer/authorizer';
import { JsonConfig } from '../../lambda-src/shared';
import { parseAuthorizerSettings } from '../../src/api/authorizer-settings';
import {
  ambiguousRoutePairs, buildRoutePolicy, matchRoute, maxRoutePolicyBytes, overlapMatrix, PolicyDocument, routeAllows, RouteRule,
} from '../../src/api/route-policy';

// Replays cached authorizer policies the way API Gateway does: the policy produced for a
// token on its first request is evaluated (IAM semantics: explicit Deny wins, then Allow,
// default deny) for every later request of the same token, on every route of the API.
const PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/';
const SCOPES = ['orders:read', 'orders:write', 'orders:admin', 'items:read'];
const ROUTES: RouteRule[] = [
  { method: 'GET', path: '/orders', scopes: ['orders:read'] },
  { method: 'POST', path: '/orders', scopes: ['orders:write'] },
  { method: 'GET', path: '/orders/{id}', scopes: ['orders:read', 'orders:admin'] },
  { method: 'DELETE', path: '/orders/{id}', scopes: ['orders:admin'] },
  { method: 'GET', path: '/orders/{id}/items', scopes: ['items:read'] },
  { method: 'PUT', path: '/orders/{id}/items/{itemId}', scopes: ['orders:write'] },
  { method: 'GET', path: '/orders/export', scopes: ['orders:admin'] },
  { method: 'GET', path: '/health', scopes: [] },
  { method: 'ANY', path: '/admin/{proxy+}', scopes: ['orders:admin'] },
];
const PARAM_VALUES = ['42', 'admin', 'items', 'orders', 'export', 'health', 'a-b_c'];
const PROXY_VALUES = ['x', 'x/y', 'orders/1/items', 'admin'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function iamGlob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('')}$`);
}

function evaluate(policy: PolicyDocument, arn: string): boolean {
  const matches = (effect: 'Allow' | 'Deny') => policy.Statement.some((s) => s.Effect === effect && s.Resource.some((r) => iamGlob(r).test(arn)));
  return !matches('Deny') && matches('Allow');
}

/** Every concrete request (method ARN) that API Gateway routes to routes[index]. */
function requestsOf(routes: RouteRule[], index: number): string[] {
  const route = routes[index];
  let paths = [''];
  for (const segment of route.path.split('/').filter((s) => s)) {
    const values = /^\{.+\+\}$/.test(segment) ? PROXY_VALUES : /^\{.+\}$/.test(segment) ? PARAM_VALUES : [segment];
    paths = paths.flatMap((p) => values.map((v) => `${p}/${v}`));
  }
  if (paths[0] === '') paths = ['/'];
  const methods = route.method === 'ANY' ? METHODS : [route.method];
  return methods.flatMap((m) => paths.filter((p) => matchRoute(routes, m, p) === index).map((p) => `${PREFIX}${m}${p}`));
}

function subsets<T>(items: T[]): T[][] {
  return items.reduce<T[][]>((acc, item) => acc.concat(acc.map((s) => [...s, item])), [[]]);
}

function authorizerFor(routes: RouteRule[]): Authorizer {
  return new Authorizer(parseAuthorizerSettings(new JsonConfig('AUTHORIZER_SETTINGS', {
    issuers: [{ issuer: 'https://issuer.test', audiences: ['api'], jwks: { keys: [] } }],
    routes,
  })));
}

function principal(scopes: string[]): Principal {
  return { principalId: 'u', sub: 'u', tenantId: 't', scopes, authType: 'jwt', expiresAt: Date.now() + 60_000 };
}

describe('cached authorizer policies', () => {
  test('the route table used below has no ambiguous route pairs', () => {
    expect(ambiguousRoutePairs(ROUTES)).toEqual([]);
  });

  test('replayed across every (scopes x first route x later request) triple, a cached policy makes zero wrong decisions', () => {
    const authorizer = authorizerFor(ROUTES);
    const requests = ROUTES.map((_, i) => requestsOf(ROUTES, i));
    let decisions = 0;
    const wrong: string[] = [];
    for (const scopes of subsets(SCOPES)) {
      const set = new Set(scopes);
      ROUTES.forEach((_, first) => {
        const policy = authorizer.policyFor(principal(scopes), first, requests[first][0]);
        ROUTES.forEach((route, target) => {
          for (const arn of requests[target]) {
            decisions++;
            if (evaluate(policy, arn) !== routeAllows(route, set)) wrong.push(`[${scopes.join(' ')}] first=${first} ${arn}`);
          }
        });
      });
    }
    expect(wrong).toEqual([]);
    expect(decisions).toBeGreaterThanOrEqual(10_000);
  });

  test('a policy naming only the invoked method ARN (the classic bug) is caught by the same replay', () => {
    const requests = ROUTES.map((_, i) => requestsOf(ROUTES, i));
    const naive: PolicyDocument = { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [requests[0][0]] }] };
    const wrongs = requests[2].filter((arn) => evaluate(naive, arn) !== routeAllows(ROUTES[2], new Set(['orders:read'])));
    expect(wrongs.length).toBeGreaterThan(0);
  });

  test('a wildcard Allow that would over-grant a nested route is paired with an explicit Deny', () => {
    const policy = buildRoutePolicy(ROUTES, new Set(['orders:read']), PREFIX, overlapMatrix(ROUTES))!;
    expect(policy.Statement.find((s) => s.Effect === 'Deny')!.Resource).toEqual(expect.arrayContaining([`${PREFIX}GET/orders/*/items`]));
    expect(evaluate(policy, `${PREFIX}GET/orders/42/items`)).toBe(false);
    expect(evaluate(policy, `${PREFIX}GET/orders/42`)).toBe(true);
  });

  test('no token can produce a policy larger than the synth-time bound', () => {
    const bound = maxRoutePolicyBytes(ROUTES, PREFIX.length);
    for (const scopes of subsets(SCOPES)) {
      const policy = buildRoutePolicy(ROUTES, new Set(scopes), PREFIX, overlapMatrix(ROUTES))!;
      expect(JSON.stringify(policy).length).toBeLessThanOrEqual(bound);
    }
  });

  test('an ambiguous route table is detected, and the runtime fallback never over-grants', () => {
    const routes: RouteRule[] = [
      { method: 'GET', path: '/a/{x}/c', scopes: ['s1'] },
      { method: 'GET', path: '/a/b/{y}', scopes: ['s2'] },
      { method: 'GET', path: '/a/{x}/{z}', scopes: ['s3'] },
    ];
    expect(ambiguousRoutePairs(routes).length).toBeGreaterThan(0);
    const authorizer = authorizerFor(routes);
    const requests = routes.map((_, i) => requestsOf(routes, i));
    for (const scopes of subsets(['s1', 's2', 's3'])) {
      routes.forEach((_, first) => {
        for (const firstArn of requests[first]) {
          const policy = authorizer.policyFor(principal(scopes), first, firstArn);
          routes.forEach((route, target) => {
            for (const arn of requests[target]) {
              if (evaluate(policy, arn)) expect(routeAllows(route, new Set(scopes))).toBe(true);
            }
          });
        }
      });
    }
  });

  test('requests are matched to routes the way API Gateway routes them', () => {
    expect(matchRoute(ROUTES, 'GET', '/orders/export')).toBe(6);
    expect(matchRoute(ROUTES, 'GET', '/orders/7')).toBe(2);
    expect(matchRoute(ROUTES, 'GET', '/orders/7/items')).toBe(4);
    expect(matchRoute(ROUTES, 'PATCH', '/admin/a/b')).toBe(8);
    expect(matchRoute(ROUTES, 'PATCH', '/orders')).toBeUndefined();
    expect(matchRoute(ROUTES, 'GET', '/admin')).toBeUndefined();
  });
});
