import { ConfigurationError } from './errors';
import type { SettingsReader } from '../../src/core/settings-reader';

/**
 * Reads a handler's settings from one JSON environment variable (the construct writes it)
 * and checks each setting, so a bad deployment fails at init with a message naming the
 * variable, the setting, the value and what is allowed, instead of misbehaving per call.
 */
export class JsonConfig<T = Record<string, unknown>> implements SettingsReader<T> {
  /** Parse `process.env[variable]`; a missing or non-object value is a ConfigurationError. */
  public static fromEnvironment<T = Record<string, unknown>>(variable: string, env: NodeJS.ProcessEnv = process.env): JsonConfig<T> {
    const raw = env[variable];
    if (raw === undefined || raw === '') {
      throw new ConfigurationError(`environment variable ${variable} is not set; it must hold the handler's settings as a JSON object`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      throw new ConfigurationError(`environment variable ${variable} is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ConfigurationError(`environment variable ${variable} must be a JSON object, got ${JSON.stringify(parsed)}`);
    }
    return new JsonConfig<T>(variable, parsed as Record<string, unknown>);
  }

  private readonly problems: string[] = [];

  constructor(private readonly variable: string, private readonly values: Record<string, unknown>) {}

  /** A non-empty string; `fallback` when absent (required when there is none). */
  public string(key: keyof T & string, fallback?: string): string {
    return this.take(key, fallback, (v) => typeof v === 'string' && v.length > 0, 'must be a non-empty string', '');
  }

  /** A number within [min, max]; `fallback` when absent (required when there is none). */
  public number(key: keyof T & string, range: { min: number; max: number; integer?: boolean }, fallback?: number): number {
    return this.take(key, fallback,
      (v) => typeof v === 'number' && Number.isFinite(v) && v >= range.min && v <= range.max && (!range.integer || Number.isInteger(v)),
      `must be ${range.integer ? 'an integer' : 'a number'} between ${range.min} and ${range.max}`, range.min);
  }

  /** A boolean; `fallback` when absent. */
  public boolean(key: keyof T & string, fallback: boolean): boolean {
    return this.take(key, fallback, (v) => typeof v === 'boolean', 'must be true or false', fallback);
  }

  /** One of the allowed strings; `fallback` when absent (required when there is none). */
  public oneOf<V extends string>(key: keyof T & string, allowed: readonly V[], fallback?: V): V {
    return this.take(key, fallback, (v) => (allowed as readonly unknown[]).includes(v), `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`, allowed[0]);
  }

  /** A list of non-empty strings; `fallback` when absent (required when there is none). */
  public stringList(key: keyof T & string, fallback?: string[]): string[] {
    return this.take(key, fallback, (v) => Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0), 'must be a list of non-empty strings', []);
  }

  /** The raw value of a nested setting, for callers that check it themselves. */
  public raw(key: keyof T & string): unknown {
    return this.values[key];
  }

  /** Record a problem that is not about one scalar setting. */
  public fail(problem: string): void {
    this.problems.push(problem);
  }

  /** Throw one ConfigurationError naming every invalid setting, if there is any. */
  public validate(): void {
    if (this.problems.length > 0) {
      throw new ConfigurationError(`invalid settings in ${this.variable}: ${this.problems.join('; ')}`);
    }
  }

  /** The value of `key` when `ok`, `fallback` when absent; otherwise a recorded problem and a placeholder. */
  private take<V>(key: string, fallback: V | undefined, ok: (value: unknown) => boolean, requirement: string, placeholder: V): V {
    const value = this.values[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (ok(value)) return value as V;
    this.problems.push(`${key} ${requirement}, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
    return fallback ?? placeholder;
  }
}

/**
 * Like {@link JsonConfig.fromEnvironment}, but a missing variable means "all defaults".
 * A function rather than a static method so that bundles of handlers that do not use it
 * leave it out (esbuild cannot drop unused static methods).
 */
export function optionalJsonConfig<T = Record<string, unknown>>(variable: string, env: NodeJS.ProcessEnv = process.env): JsonConfig<T> {
  return env[variable] ? JsonConfig.fromEnvironment<T>(variable, env) : new JsonConfig<T>(variable, {});
}

export type { SettingsReader } from '../../src/core/settings-reader';
