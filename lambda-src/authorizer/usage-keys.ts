import type { UsageKeySettings } from '../../src/api/authorizer-settings';

/** Reads one API key's value (GetApiKey with includeValue). Rejects when it cannot. */
export type UsageKeyReader = (apiKeyId: string) => Promise<string>;

/** The tenant's usage key, or why there is none (both reasons deny: fail closed). */
export type UsageKeyResult =
  | { readonly ok: true; readonly apiKeyId: string; readonly value: string }
  | { readonly ok: false; readonly reason: 'unknown_tenant' }
  | { readonly ok: false; readonly reason: 'usage_key_unavailable'; readonly apiKeyId: string };

/** Counters the handler turns into metrics (UsageKeyLookups, UsageKeyErrors). */
export interface UsageKeyStats {
  lookups: number;
  errors: number;
  /** The last failed read, for the log line. */
  lastError?: { readonly apiKeyId: string; readonly name: string; readonly message: string };
}

interface Entry {
  readonly apiKeyId: string;
  value?: string;
  /** Epoch ms after which `value` is read again. */
  freshUntil: number;
  /** Epoch ms before which a failed read is not retried. */
  retryAfter: number;
  inFlight?: Promise<void>;
}

/**
 * After a failed read, wait this long before reading the same key again: GetApiKey draws on
 * the account's control-plane budget (10 requests/s), which a flood of requests for a tenant
 * whose key cannot be read must not exhaust.
 */
export const RETRY_AFTER_ERROR_MS = 5_000;

/**
 * Tenant → usage-key value, for API key source `AUTHORIZER`. Values are read lazily, once per
 * tenant per `cacheTtlMs`, with concurrent reads of one tenant sharing one call. When a refresh
 * fails the stale value keeps being served; a tenant whose key was never read is unavailable.
 * Answers synchronously while the value is fresh, so the common path costs no promise.
 * No timers: Lambda freezes the environment between invocations.
 */
export class UsageKeyCache {
  public readonly stats: UsageKeyStats = { lookups: 0, errors: 0 };
  private readonly entries: Map<string, Entry>;

  constructor(private readonly settings: UsageKeySettings, private readonly read: UsageKeyReader, private readonly now: () => number = Date.now) {
    this.entries = new Map(settings.tenants.map((t) => [t.tenantId, { apiKeyId: t.apiKeyId, freshUntil: 0, retryAfter: 0 }]));
  }

  /** The usage key of `tenantId`. Never rejects. */
  public keyOf(tenantId: string): UsageKeyResult | Promise<UsageKeyResult> {
    const entry = this.entries.get(tenantId);
    if (!entry) return { ok: false, reason: 'unknown_tenant' };
    const now = this.now();
    if (entry.value !== undefined && now < entry.freshUntil) return { ok: true, apiKeyId: entry.apiKeyId, value: entry.value };
    if (!entry.inFlight && now < entry.retryAfter) return this.resultOf(entry);
    return this.refresh(entry).then(() => this.resultOf(entry));
  }

  private resultOf(entry: Entry): UsageKeyResult {
    return entry.value !== undefined
      ? { ok: true, apiKeyId: entry.apiKeyId, value: entry.value }
      : { ok: false, reason: 'usage_key_unavailable', apiKeyId: entry.apiKeyId };
  }

  /** One read per entry at a time; the promise never rejects. */
  private refresh(entry: Entry): Promise<void> {
    if (entry.inFlight) return entry.inFlight;
    this.stats.lookups++;
    let reading: Promise<string>;
    try {
      reading = this.read(entry.apiKeyId);
    } catch (err) {
      reading = Promise.reject(err);
    }
    entry.inFlight = reading.then((value) => {
      if (typeof value !== 'string' || value.length === 0) throw new Error('the key answered without a value');
      entry.value = value;
      entry.freshUntil = this.now() + this.settings.cacheTtlMs;
    }).catch((err: unknown) => {
      this.stats.errors++;
      // the error names the key id and the failure; a key value is never part of it
      this.stats.lastError = { apiKeyId: entry.apiKeyId, name: String((err as Error)?.name), message: String((err as Error)?.message).slice(0, 200) };
      entry.retryAfter = this.now() + RETRY_AFTER_ERROR_MS;
    }).finally(() => {
      entry.inFlight = undefined;
    });
    return entry.inFlight;
  }
}
