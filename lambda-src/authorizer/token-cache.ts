/**
 * A small LRU of verified tokens, each entry expiring at its own `expiresAt`, evaluated
 * lazily against an injected clock (no timers: Lambda freezes the environment between
 * invocations). The entry is stored as given: one object per cached token.
 */
export class TokenCache<V extends { readonly expiresAt: number }> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly maxEntries: number, private readonly now: () => number = Date.now) {}

  public get size(): number {
    return this.entries.size;
  }

  public get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // move to the most-recently-used end
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  public set(key: string, entry: V): void {
    if (this.maxEntries === 0 || entry.expiresAt <= this.now()) return;
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  public clear(): void {
    this.entries.clear();
  }
}
