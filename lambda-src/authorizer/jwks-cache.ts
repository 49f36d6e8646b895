import { JwtBaseError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleFetcher } from 'aws-jwt-verify/https';
import type { Jwks, JwksCache, JwkWithKid } from 'aws-jwt-verify/jwk';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';

/** A token named a key that is not cached, and the JWKS was fetched too recently to try again. */
export class JwksRefetchThrottledError extends JwtBaseError {}

/** Counters the handler turns into metrics. */
export interface JwksCacheStats {
  fetches: number;
  fetchErrors: number;
}

/**
 * aws-jwt-verify's JWKS cache with a hard refetch limit: at most one fetch per JWKS URI
 * per `minRefetchIntervalMs`, whatever the outcome. The library's own penalty box only
 * counts fetches that succeeded without the wanted `kid`, so a flood of unknown-kid
 * tokens against a JWKS server that is down would refetch on every request. Keys already
 * fetched stay usable when a later fetch fails (stale-if-error); concurrent misses share
 * one fetch.
 */
export class ThrottledJwksCache implements JwksCache {
  public readonly stats: JwksCacheStats = { fetches: 0, fetchErrors: 0 };
  private readonly inner: SimpleJwksCache;
  private readonly lastAttempt = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<Jwks>>();

  constructor(private readonly options: { minRefetchIntervalMs: number; fetchTimeoutMs: number; now?: () => number; fetcher?: Fetcher }) {
    const timeout = options.fetchTimeoutMs;
    this.inner = new SimpleJwksCache({
      fetcher: options.fetcher ?? new SimpleFetcher({ defaultRequestOptions: { timeout: Math.min(1000, timeout), responseTimeout: timeout } }),
      // the refetch limit is enforced here, for failed fetches too
      penaltyBox: { wait: async () => undefined, registerFailedAttempt: () => undefined, registerSuccessfulAttempt: () => undefined },
    });
  }

  public addJwks(jwksUri: string, jwks: Jwks): void {
    this.inner.addJwks(jwksUri, jwks);
  }

  public getCachedJwk(jwksUri: string, decomposedJwt: { header: JwtHeader; payload: JwtPayload }): JwkWithKid {
    return this.inner.getCachedJwk(jwksUri, decomposedJwt);
  }

  public async getJwks(jwksUri: string): Promise<Jwks> {
    return this.refresh(jwksUri);
  }

  public async getJwk(jwksUri: string, decomposedJwt: { header: JwtHeader; payload: JwtPayload }): Promise<JwkWithKid> {
    try {
      return this.inner.getCachedJwk(jwksUri, decomposedJwt);
    } catch {
      // not cached: refresh below (throttled)
    }
    await this.refresh(jwksUri);
    return this.inner.getCachedJwk(jwksUri, decomposedJwt);
  }

  private refresh(jwksUri: string): Promise<Jwks> {
    const running = this.inFlight.get(jwksUri);
    if (running) return running;
    const now = (this.options.now ?? Date.now)();
    const last = this.lastAttempt.get(jwksUri);
    if (last !== undefined && now - last < this.options.minRefetchIntervalMs) {
      return Promise.reject(new JwksRefetchThrottledError(`JWKS of ${jwksUri} was fetched less than ${this.options.minRefetchIntervalMs} ms ago`));
    }
    this.lastAttempt.set(jwksUri, now);
    this.stats.fetches++;
    const fetching = this.inner.getJwks(jwksUri).catch((err: unknown) => {
      this.stats.fetchErrors++;
      throw err;
    }).finally(() => this.inFlight.delete(jwksUri));
    this.inFlight.set(jwksUri, fetching);
    return fetching;
  }
}
