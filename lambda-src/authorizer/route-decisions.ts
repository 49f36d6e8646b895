/* eslint-disable no-bitwise -- up to 31 routes, a caller's routes are a bit mask: one OR per scope on the hot path */
import { arnPrefixEnd } from './method-arn';
import { RouteMatcher } from '../../src/api/route-matcher';
import { buildRoutePolicy, methodPolicy, overlapMatrix, PolicyDocument, RouteRule } from '../../src/api/route-policy';

/**
 * The routes a caller may call, one flag per route of the table: a bit mask up to 31 routes,
 * else a string of '0' and '1'. It is also the key of the policy memo, since a policy
 * depends only on the stage and this set.
 */
export type RouteAccess = number | string;

/** Routes a bit-mask access covers: 31 keeps every mask a small integer. */
const MASK_BITS = 31;
/** Bounds of the policy memo: stage prefixes (one API has a few), and route sets per stage. */
const MAX_STAGES = 16;
const MAX_POLICIES_PER_STAGE = 512;

interface StagePolicies {
  readonly prefix: string;
  /** Access -> policy; null when the table has no exact cross-route policy for that set. */
  readonly policies: Map<RouteAccess, PolicyDocument | null>;
}

/**
 * The route table as the authorizer decides with it. Everything that depends only on the
 * settings (the matcher, the overlap matrix, which routes each scope opens) is computed once;
 * a caller's access is computed once per token, and a policy once per (stage, access), then
 * shared read-only.
 */
export class RouteDecisions {
  public readonly matcher: RouteMatcher;
  /** `GET /orders/{id}` per route, for the decision log. */
  public readonly labels: readonly string[];
  private readonly overlaps: boolean[][];
  /** Indexes of the routes without scopes, and of the routes each scope opens. */
  private readonly openRoutes: number[] = [];
  private readonly routesByScope = new Map<string, number[]>();
  /** The same as masks, for tables of up to 31 routes. */
  private readonly openMask: number = 0;
  private readonly maskByScope = new Map<string, number>();
  private readonly stages: StagePolicies[] = [];

  constructor(private readonly routes: readonly RouteRule[], private readonly policyScope: 'api' | 'method') {
    this.matcher = new RouteMatcher(routes);
    this.labels = routes.map((r) => `${r.method} ${r.path}`);
    this.overlaps = overlapMatrix(routes);
    routes.forEach((route, i) => {
      if (route.scopes.length === 0) this.openRoutes.push(i);
      for (const scope of route.scopes) {
        const opened = this.routesByScope.get(scope) ?? [];
        if (!opened.includes(i)) opened.push(i);
        this.routesByScope.set(scope, opened);
      }
    });
    if (routes.length <= MASK_BITS) {
      const mask = (indexes: number[]) => indexes.reduce((m, i) => m | (1 << i), 0);
      this.openMask = mask(this.openRoutes);
      for (const [scope, indexes] of this.routesByScope) this.maskByScope.set(scope, mask(indexes));
    }
  }

  /** The routes a caller holding `scopes` may call ("any of" a route's scopes; a route without scopes: everyone). */
  public accessOf(scopes: readonly string[]): RouteAccess {
    if (this.routes.length <= MASK_BITS) {
      let mask = this.openMask;
      for (let i = 0; i < scopes.length; i++) mask |= this.maskByScope.get(scopes[i]) ?? 0;
      return mask;
    }
    const flags = this.routes.map(() => '0');
    for (const i of this.openRoutes) flags[i] = '1';
    for (const scope of scopes) for (const i of this.routesByScope.get(scope) ?? []) flags[i] = '1';
    return flags.join('');
  }

  /** Whether `access` includes route `routeIndex` (undefined = a route the table does not know: never). */
  public allows(access: RouteAccess, routeIndex: number | undefined): boolean {
    if (routeIndex === undefined) return false;
    return typeof access === 'number' ? ((access >>> routeIndex) & 1) === 1 : access.charCodeAt(routeIndex) === 0x31;
  }

  /**
   * The IAM policy for a REST API. With policy scope `api` (API Gateway caches the result for
   * the token) it covers every route of `access`, so a cached policy is right for the next
   * route too, and a route the table does not know is denied explicitly; otherwise it covers
   * exactly the invoked method ARN.
   */
  public policyFor(access: RouteAccess, routeIndex: number | undefined, methodArn: string): PolicyDocument {
    if (this.policyScope === 'api') {
      const prefixEnd = arnPrefixEnd(methodArn);
      if (prefixEnd > 0) {
        const policies = this.stagePolicies(methodArn, prefixEnd);
        let policy = policies.get(access);
        if (policy === undefined) {
          const allowed = this.routes.map((_, i) => this.allows(access, i));
          policy = buildRoutePolicy(this.routes, allowed, methodArn.slice(0, prefixEnd), this.overlaps) ?? null;
          if (policies.size >= MAX_POLICIES_PER_STAGE) policies.clear();
          policies.set(access, policy);
        }
        // An Allow glob of a known route may cover a route the table does not know: deny it explicitly.
        if (policy) return routeIndex === undefined ? withDeny(policy, methodArn) : policy;
      }
      // No exact cross-route policy (the construct rejects such route tables at synth):
      // cover the invoked ARN only, so a cached result can only 403 other routes, never over-grant.
    }
    return methodPolicy(this.allows(access, routeIndex) ? 'Allow' : 'Deny', methodArn);
  }

  /** The memo of one stage prefix, found without copying the ARN. */
  private stagePolicies(methodArn: string, prefixEnd: number): StagePolicies['policies'] {
    for (let i = 0; i < this.stages.length; i++) {
      const stage = this.stages[i];
      if (stage.prefix.length === prefixEnd && methodArn.startsWith(stage.prefix)) return stage.policies;
    }
    if (this.stages.length >= MAX_STAGES) this.stages.length = 0;
    const stage: StagePolicies = { prefix: methodArn.slice(0, prefixEnd), policies: new Map() };
    this.stages.push(stage);
    return stage.policies;
  }
}

/** `policy` plus an explicit Deny of `methodArn`, which wins over any Allow. */
function withDeny(policy: PolicyDocument, methodArn: string): PolicyDocument {
  return { Version: policy.Version, Statement: [...policy.Statement, ...methodPolicy('Deny', methodArn).Statement] };
}
