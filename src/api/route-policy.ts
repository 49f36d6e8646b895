// The route table shared by the AuthorizedApi construct (synth-time checks) and the
// authorizer runtime (lambda-src/authorizer bundles this file): which routes a set of
// scopes may call, and the IAM policy that stays correct when API Gateway caches it.
// Plain TypeScript without dependencies, so it runs in both places; not exported from
// the library's public API.

/** One route of the API as the authorizer sees it. */
export interface RouteRule {
  /** HTTP method in upper case, or `ANY`. */
  readonly method: string;
  /** API Gateway resource template, e.g. `/orders/{id}` or `/files/{proxy+}`. */
  readonly path: string;
  /** The caller needs at least one of these scopes; empty = any authenticated caller. */
  readonly scopes: readonly string[];
}

/** An IAM policy document as API Gateway expects it from a Lambda authorizer. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: Array<{ readonly Action: 'execute-api:Invoke'; readonly Effect: 'Allow' | 'Deny'; readonly Resource: string[] }>;
}

/** Whether a caller holding `scopes` may call `route` ("any of" semantics, like API Gateway's authorization scopes). */
export function routeAllows(route: RouteRule, scopes: ReadonlySet<string>): boolean {
  if (route.scopes.length === 0) return true;
  for (const s of route.scopes) if (scopes.has(s)) return true;
  return false;
}

/**
 * The resource part of a route's execute-api ARN below `{apiId}/{stage}/`, with every path
 * parameter as `*`: `GET/orders/*`. IAM's `*` also matches `/`, which is why the policy
 * builder needs the overlap analysis below.
 */
export function routeArnPattern(route: RouteRule): string {
  const method = route.method === 'ANY' ? '*' : route.method;
  return method + route.path.replace(/\{[^}]+\}/g, '*');
}

// ---- overlap analysis: can the glob of route A match a request that reaches route B? ----

type GlobToken = { kind: 'char'; c: string } | { kind: 'star' };
type PathToken = { kind: 'char'; c: string } | { kind: 'segment' } | { kind: 'greedy' };

function globTokens(pattern: string): GlobToken[] {
  return [...pattern].map((c) => (c === '*' ? { kind: 'star' as const } : { kind: 'char' as const, c }));
}

/** The language of concrete `METHOD/path` strings that reach a route. */
function pathTokens(route: RouteRule): PathToken[] {
  const tokens: PathToken[] = route.method === 'ANY' ? [{ kind: 'segment' }] : [...route.method].map((c) => ({ kind: 'char' as const, c }));
  const parts = route.path.split(/(\{[^}]+\})/).filter((p) => p.length > 0);
  for (const part of parts) {
    if (/^\{[^}]+\+\}$/.test(part)) tokens.push({ kind: 'greedy' });
    else if (/^\{[^}]+\}$/.test(part)) tokens.push({ kind: 'segment' });
    else for (const c of part) tokens.push({ kind: 'char', c });
  }
  return tokens;
}

/**
 * Whether some concrete request to `target` is matched by the IAM glob of `source`
 * (product of two small automata, searched breadth-first). Conservative: it ignores
 * API Gateway's preference for literal resources over parameters, so it may report an
 * overlap that routing would never produce, never the reverse.
 */
export function globMatchesRoute(source: RouteRule, target: RouteRule): boolean {
  const g = globTokens(routeArnPattern(source));
  const p = pathTokens(target);
  // Alphabet: every literal character in either side plus one character in neither.
  const alphabet = new Set<string>(['\u0000']);
  for (const t of g) if (t.kind === 'char') alphabet.add(t.c);
  for (const t of p) if (t.kind === 'char') alphabet.add(t.c);
  alphabet.add('/');
  // Path automaton state: [index, inside] where inside = consumed >= 1 char of a segment/greedy token.
  const key = (gi: number, pi: number, inside: boolean) => `${gi},${pi},${inside ? 1 : 0}`;
  const seen = new Set<string>();
  const queue: Array<[number, number, boolean]> = [];
  const push = (gi: number, pi: number, inside: boolean) => {
    // epsilon closure on the glob side: a star may match nothing
    const states: Array<[number, number, boolean]> = [[gi, pi, inside]];
    while (states.length) {
      const [a, b, c] = states.pop()!;
      const k = key(a, b, c);
      if (seen.has(k)) continue;
      seen.add(k);
      queue.push([a, b, c]);
      if (a < g.length && g[a].kind === 'star') states.push([a + 1, b, c]);
      if (c) states.push([a, b + 1, false]); // a non-empty segment may end here
    }
  };
  push(0, 0, false);
  while (queue.length) {
    const [gi, pi, inside] = queue.shift()!;
    if (gi === g.length && pi === p.length && !inside) return true;
    for (const ch of alphabet) {
      const gNext: number[] = [];
      if (gi < g.length) {
        const t = g[gi];
        if (t.kind === 'star') gNext.push(gi);
        else if (t.c === ch) gNext.push(gi + 1);
      }
      if (gNext.length === 0) continue;
      const pNext: Array<[number, boolean]> = [];
      if (pi < p.length) {
        const t = p[pi];
        if (t.kind === 'char') {
          if (!inside && t.c === ch) pNext.push([pi + 1, false]);
        } else if (t.kind === 'segment') {
          if (ch !== '/') pNext.push([pi, true]);
        } else {
          pNext.push([pi, true]);
        }
      }
      for (const a of gNext) for (const [b, c] of pNext) push(a, b, c);
    }
  }
  return false;
}

/** `overlaps[i][j]`: the glob of route i matches some request of route j (i != j). */
export function overlapMatrix(routes: readonly RouteRule[]): boolean[][] {
  return routes.map((a, i) => {
    // A route without parameters and with a concrete method has a glob without wildcards: it
    // matches one request, and API Gateway routes that request to this literal route.
    const literal = a.method !== 'ANY' && !a.path.includes('{');
    return routes.map((b, j) => i !== j && !literal && globMatchesRoute(a, b));
  });
}

/** Whether some scope set lets a caller reach `allowed` but not `denied`. */
function separable(allowed: RouteRule, denied: RouteRule): boolean {
  if (denied.scopes.length === 0) return false;
  if (allowed.scopes.length === 0) return true;
  return allowed.scopes.some((s) => !denied.scopes.includes(s));
}

/**
 * Route pairs for which no glob policy can be both complete and exact: route `denied`
 * would need an explicit Deny (because another route's Allow glob covers it) and that
 * Deny glob also covers route `allowed`. Empty means cached policies are always exact.
 */
export function ambiguousRoutePairs(routes: readonly RouteRule[], overlaps = overlapMatrix(routes)): Array<[RouteRule, RouteRule]> {
  const pairs: Array<[RouteRule, RouteRule]> = [];
  routes.forEach((denied, y) => {
    const needsDeny = routes.some((_, i) => i !== y && overlaps[i][y]);
    if (!needsDeny) return;
    routes.forEach((allowed, r) => {
      if (r !== y && overlaps[y][r] && separable(allowed, denied)) pairs.push([allowed, denied]);
    });
  });
  return pairs;
}

/**
 * The policy for a token that may call the routes flagged in `allowed` (see routeAllows)
 * that stays correct for every route while API Gateway caches it: Allow each reachable
 * route, and explicitly Deny each unreachable route that an Allow glob would otherwise
 * cover. `arnPrefix` is `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/`.
 * Returns undefined when the route table is ambiguous for this set (see ambiguousRoutePairs).
 */
export function buildRoutePolicy(
  routes: readonly RouteRule[],
  allowed: readonly boolean[],
  arnPrefix: string,
  overlaps: boolean[][],
): PolicyDocument | undefined {
  const allow: string[] = [];
  const deny: string[] = [];
  for (let i = 0; i < routes.length; i++) {
    if (allowed[i]) {
      allow.push(arnPrefix + routeArnPattern(routes[i]));
      continue;
    }
    const coveredByAllow = routes.some((_, j) => allowed[j] && overlaps[j][i]);
    if (!coveredByAllow) continue;
    // An explicit Deny is needed; it must not also hit an allowed route's requests.
    if (routes.some((_, r) => allowed[r] && overlaps[i][r])) return undefined;
    deny.push(arnPrefix + routeArnPattern(routes[i]));
  }
  const Statement: PolicyDocument['Statement'] = [];
  if (allow.length > 0) Statement.push({ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: dedupe(allow) });
  if (deny.length > 0) Statement.push({ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: dedupe(deny) });
  if (allow.length === 0) Statement.push({ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${arnPrefix}*`] });
  return { Version: '2012-10-17', Statement };
}

/** A one-statement policy for exactly the invoked method ARN (authorizer caching off). */
export function methodPolicy(effect: 'Allow' | 'Deny', methodArn: string): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: [methodArn] }] };
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * The largest cached policy any token can produce, in bytes of JSON, for an ARN prefix of
 * `arnPrefixLength` characters: every route appears at most once, as Allow or Deny.
 */
export function maxRoutePolicyBytes(routes: readonly RouteRule[], arnPrefixLength: number): number {
  const statementOverhead = JSON.stringify({ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [] }).length + 1;
  const base = JSON.stringify({ Version: '2012-10-17', Statement: [] }).length;
  const resources = routes.reduce((sum, r) => sum + arnPrefixLength + routeArnPattern(r).length + 3, 0);
  return base + 3 * statementOverhead + resources + arnPrefixLength + 4;
}
