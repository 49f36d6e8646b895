import { Authorizer } from '../../lambda-src/authorizer/authorizer';
import { JsonConfig } from '../../lambda-src/shared';
import { parseAuthorizerSettings } from '../../src/api/authorizer-settings';
import { RouteMatcher } from '../../src/api/route-matcher';
import {
  ambiguousRoutePairs, buildRoutePolicy, maxRoutePolicyBytes, overlapMatrix, PolicyDocument, routeAllows, RouteRule,
} from '../../src/api/route-policy';
import { policyAllows as evaluate } from '../helpers/iam-policy';

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
// Requests no route of ROUTES serves, several of them covered by an Allow glob of a route
// that is (`GET/orders/*` covers `GET/orders/42/refund`).
const UNKNOWN_REQUESTS = ['GET/orders/42/refund', 'PATCH/orders', 'POST/health', 'GET/admin', 'GET/unknown', 'DELETE/orders/42/items'];

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
  const matcher = new RouteMatcher(routes);
  return methods.flatMap((m) => paths.filter((p) => matcher.match(m, p) === index).map((p) => `${PREFIX}${m}${p}`));
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

/** The policy the authorizer returns to a caller holding `scopes` whose first request is `methodArn`. */
function policyFor(authorizer: Authorizer, scopes: string[], routeIndex: number | undefined, methodArn: string): PolicyDocument {
  return authorizer.routes.policyFor(authorizer.routes.accessOf(scopes), routeIndex, methodArn);
}

/** Which routes of `routes` a caller holding `scopes` may call, by the reference rule. */
function allowedBy(routes: RouteRule[], scopes: string[]): boolean[] {
  return routes.map((r) => routeAllows(r, new Set(scopes)));
}

describe('cached authorizer policies', () => {
  test('the route table used below has no ambiguous route pairs', () => {
    expect(ambiguousRoutePairs(ROUTES)).toEqual([]);
  });

  test('replayed across every (scopes x first request x later request) triple, a cached policy makes zero wrong decisions', () => {
    const authorizer = authorizerFor(ROUTES);
    const requests = ROUTES.map((_, i) => requestsOf(ROUTES, i));
    // First requests: one per route, then requests to routes the table does not know,
    // which must be denied themselves and must not change any later decision.
    const firsts: Array<{ route: number | undefined; arn: string }> = [
      ...ROUTES.map((_, i) => ({ route: i, arn: requests[i][0] })),
      ...UNKNOWN_REQUESTS.map((r) => ({ route: undefined, arn: PREFIX + r })),
    ];
    let decisions = 0;
    const wrong: string[] = [];
    for (const scopes of subsets(SCOPES)) {
      const set = new Set(scopes);
      for (const first of firsts) {
        const policy = policyFor(authorizer, scopes, first.route, first.arn);
        if (first.route === undefined) {
          decisions++;
          if (evaluate(policy, first.arn)) wrong.push(`[${scopes.join(' ')}] unknown first request ${first.arn} allowed`);
        }
        ROUTES.forEach((route, target) => {
          for (const arn of requests[target]) {
            decisions++;
            if (evaluate(policy, arn) !== routeAllows(route, set)) wrong.push(`[${scopes.join(' ')}] first=${first.arn} ${arn}`);
          }
        });
      }
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
    const policy = buildRoutePolicy(ROUTES, allowedBy(ROUTES, ['orders:read']), PREFIX, overlapMatrix(ROUTES))!;
    expect(policy.Statement.find((s) => s.Effect === 'Deny')!.Resource).toEqual(expect.arrayContaining([`${PREFIX}GET/orders/*/items`]));
    expect(evaluate(policy, `${PREFIX}GET/orders/42/items`)).toBe(false);
    expect(evaluate(policy, `${PREFIX}GET/orders/42`)).toBe(true);
  });

  test('no token can produce a policy larger than the synth-time bound', () => {
    const bound = maxRoutePolicyBytes(ROUTES, PREFIX.length);
    for (const scopes of subsets(SCOPES)) {
      const policy = buildRoutePolicy(ROUTES, allowedBy(ROUTES, scopes), PREFIX, overlapMatrix(ROUTES))!;
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
          const policy = policyFor(authorizer, scopes, first, firstArn);
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
    const matcher = new RouteMatcher(ROUTES);
    expect(matcher.match('GET', '/orders/export')).toBe(6);
    expect(matcher.match('GET', '/orders/7')).toBe(2);
    expect(matcher.match('GET', '/orders/7/items')).toBe(4);
    expect(matcher.match('PATCH', '/admin/a/b')).toBe(8);
    expect(matcher.match('PATCH', '/orders')).toBeUndefined();
    expect(matcher.match('GET', '/admin')).toBeUndefined();
  });

  test('a table of more than 31 routes gets the same policies as one built from the scopes directly', () => {
    const routes: RouteRule[] = Array.from({ length: 40 }, (_, i) => ({ method: 'GET', path: `/r${i}/{id}`, scopes: i % 5 === 0 ? [] : [`s${i % 4}`] }));
    const authorizer = authorizerFor(routes);
    for (const scopes of subsets(['s0', 's1', 's2', 's3', 'other'])) {
      const expected = buildRoutePolicy(routes, allowedBy(routes, scopes), PREFIX, overlapMatrix(routes));
      expect(policyFor(authorizer, scopes, 0, `${PREFIX}GET/r0/1`)).toEqual(expected);
    }
  });

  test('scope lists that join to the same text still get their own policies', () => {
    // `scp` may be a list whose entries hold spaces: ['a b'] is not ['a', 'b']
    const routes: RouteRule[] = [{ method: 'GET', path: '/a', scopes: ['a'] }, { method: 'GET', path: '/b', scopes: ['b'] }];
    const authorizer = authorizerFor(routes);
    const split = policyFor(authorizer, ['a', 'b'], 0, `${PREFIX}GET/a`);
    const joined = policyFor(authorizer, ['a b'], 0, `${PREFIX}GET/a`);
    expect(evaluate(split, `${PREFIX}GET/b`)).toBe(true);
    expect(evaluate(joined, `${PREFIX}GET/b`)).toBe(false);
  });
});
