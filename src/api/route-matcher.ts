// Which route of the table a concrete request reaches, decided the way API Gateway routes:
// literal path segments over parameters, parameters over a greedy {proxy+}, a method over
// ANY. Shared by the authorizer runtime (which bundles this file; dependency-free) and the
// tests. Everything that depends only on the route table is computed once, in the
// constructor: matching a request allocates nothing.
import type { RouteRule } from './route-policy';

/** Kinds of template segment, scored as API Gateway prefers them. */
const LITERAL = 3;
const PARAMETER = 2;
const GREEDY = 1;

interface CompiledRoute {
  readonly index: number;
  /** Segment kinds in template order, ending at the first greedy segment. */
  readonly kinds: readonly number[];
  /** The literal text of each LITERAL segment ('' for the others). */
  readonly literals: readonly string[];
  /** The score any request this route matches gets: the kinds, then 1 for a method, 0 for ANY. */
  readonly rank: readonly number[];
}

/** A route table compiled for matching concrete requests and exact templates. */
export class RouteMatcher {
  /** Concrete methods of the table, and for each the candidate routes (its own and ANY), best rank first. */
  private readonly methods: string[] = [];
  private readonly candidates: CompiledRoute[][] = [];
  /** Candidates of a method the table does not name: the ANY routes. */
  private readonly anyCandidates: CompiledRoute[];
  /** `method -> template -> index` for exact lookups (REQUEST and HTTP API events); first route wins. */
  private readonly templates = new Map<string, Map<string, number>>();

  constructor(routes: readonly RouteRule[]) {
    const compiled = routes.map(compileRoute);
    const byRank = (a: CompiledRoute, b: CompiledRoute) => compareRanks(b.rank, a.rank) || a.index - b.index;
    this.anyCandidates = compiled.filter((r) => routes[r.index].method === 'ANY').sort(byRank);
    for (const route of routes) {
      if (route.method === 'ANY' || this.methods.includes(route.method)) continue;
      this.methods.push(route.method);
      this.candidates.push(compiled.filter((r) => routes[r.index].method === route.method || routes[r.index].method === 'ANY').sort(byRank));
    }
    routes.forEach((route, index) => {
      let byTemplate = this.templates.get(route.method);
      if (!byTemplate) this.templates.set(route.method, byTemplate = new Map());
      if (!byTemplate.has(route.path)) byTemplate.set(route.path, index);
    });
  }

  /** Index of the route `GET /orders/42` reaches; undefined when no route matches. */
  public match(method: string, path: string): number | undefined {
    return this.matchIn(method, 0, method.length, path, 0, path.length);
  }

  /**
   * Like {@link match}, on slices of strings (e.g. of a method ARN), without copying them:
   * the method is `methodText[methodStart, methodEnd)`, the path `pathText[pathStart, pathEnd)`.
   */
  public matchIn(methodText: string, methodStart: number, methodEnd: number,
    pathText: string, pathStart: number, pathEnd: number): number | undefined {
    const candidates = this.candidatesOf(methodText, methodStart, methodEnd);
    for (let i = 0; i < candidates.length; i++) {
      if (matchesPath(candidates[i], pathText, pathStart, pathEnd)) return candidates[i].index;
    }
    return undefined;
  }

  /** Index of the route with exactly this method and template, else of the ANY route with this template. */
  public find(method: string, template: string): number | undefined {
    return this.templates.get(method)?.get(template) ?? this.templates.get('ANY')?.get(template);
  }

  private candidatesOf(text: string, start: number, end: number): CompiledRoute[] {
    for (let i = 0; i < this.methods.length; i++) {
      const method = this.methods[i];
      if (method.length === end - start && text.startsWith(method, start)) return this.candidates[i];
    }
    return this.anyCandidates;
  }
}

function compileRoute(route: RouteRule, index: number): CompiledRoute {
  const kinds: number[] = [];
  const literals: string[] = [];
  for (const segment of route.path.split('/').filter((s) => s.length > 0)) {
    const kind = /^\{[^}]+\+\}$/.test(segment) ? GREEDY : /^\{[^}]+\}$/.test(segment) ? PARAMETER : LITERAL;
    kinds.push(kind);
    literals.push(kind === LITERAL ? segment : '');
    if (kind === GREEDY) break;
  }
  return { index, kinds, literals, rank: [...kinds, route.method === 'ANY' ? 0 : 1] };
}

/** Lexicographic, a missing entry counting as 0. */
function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Whether the route's template matches the path `text[start, end)`. Empty segments (`//`, a
 * trailing `/`) are skipped, a parameter takes one non-empty segment, a greedy segment one or more.
 */
function matchesPath(route: CompiledRoute, text: string, start: number, end: number): boolean {
  let at = start;
  for (let i = 0; i < route.kinds.length; i++) {
    while (at < end && text.charCodeAt(at) === 0x2f) at++;
    if (at === end) return false;
    if (route.kinds[i] === GREEDY) return true;
    let segmentEnd = text.indexOf('/', at);
    if (segmentEnd === -1 || segmentEnd > end) segmentEnd = end;
    if (route.kinds[i] === LITERAL) {
      const literal = route.literals[i];
      if (literal.length !== segmentEnd - at || !text.startsWith(literal, at)) return false;
    }
    at = segmentEnd;
  }
  while (at < end && text.charCodeAt(at) === 0x2f) at++;
  return at === end;
}
