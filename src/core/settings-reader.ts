// How a handler reads the JSON settings document its construct writes. The per-handler
// settings modules (src/<group>/<handler>-settings.ts) parse through this interface, so
// they stay free of dependencies; the handlers pass lambda-src/shared's JsonConfig.

/** Reads and checks the settings of document type `T`, collecting every problem. */
export interface SettingsReader<T> {
  /** A non-empty string; `fallback` when absent (required when there is none). */
  string(key: keyof T & string, fallback?: string): string;
  /** A number within [min, max]; `fallback` when absent (required when there is none). */
  number(key: keyof T & string, range: { min: number; max: number; integer?: boolean }, fallback?: number): number;
  /** A boolean; `fallback` when absent. */
  boolean(key: keyof T & string, fallback: boolean): boolean;
  /** One of the allowed strings; `fallback` when absent (required when there is none). */
  oneOf<V extends string>(key: keyof T & string, allowed: readonly V[], fallback?: V): V;
  /** A list of non-empty strings; `fallback` when absent (required when there is none). */
  stringList(key: keyof T & string, fallback?: string[]): string[];
  /** The raw value of a setting, for nested settings the parser checks itself. */
  raw(key: keyof T & string): unknown;
  /** Record a problem that is not about one scalar setting. */
  fail(problem: string): void;
  /** Throw one error naming every problem recorded, if there is any. */
  validate(): void;
}
