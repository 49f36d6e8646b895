import { ConfigurationError } from './errors';

/**
 * Reads a handler's settings from one JSON environment variable (the construct writes it)
 * and checks each setting, so a bad deployment fails at init with a message naming the
 * variable, the setting, the value and what is allowed, instead of misbehaving per call.
 */
export class JsonConfig {
  /** Parse `process.env[variable]`; a missing or non-object value is a ConfigurationError. */
  public static fromEnvironment(variable: string, env: NodeJS.ProcessEnv = process.env): JsonConfig {
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
    return new JsonConfig(variable, parsed as Record<string, unknown>);
  }

  private readonly problems: string[] = [];

  constructor(private readonly variable: string, private readonly values: Record<string, unknown>) {}

  /** A required non-empty string. */
  public string(key: string): string;
  /** An optional string with a default. */
  public string(key: string, fallback: string): string;
  public string(key: string, fallback?: string): string {
    const value = this.values[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === 'string' && value.length > 0) return value;
    this.problem(key, 'must be a non-empty string', value);
    return fallback ?? '';
  }

  /** A number within [min, max]; `fallback` when absent (required when no fallback). */
  public number(key: string, range: { min: number; max: number; integer?: boolean }, fallback?: number): number {
    const value = this.values[key];
    if (value === undefined && fallback !== undefined) return fallback;
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= range.min && value <= range.max &&
      (!range.integer || Number.isInteger(value));
    if (ok) return value;
    this.problem(key, `must be ${range.integer ? 'an integer' : 'a number'} between ${range.min} and ${range.max}`, value);
    return fallback ?? range.min;
  }

  /** A boolean; `fallback` when absent. */
  public boolean(key: string, fallback: boolean): boolean {
    const value = this.values[key];
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    this.problem(key, 'must be true or false', value);
    return fallback;
  }

  /** One of the allowed strings; `fallback` when absent (required when no fallback). */
  public oneOf<T extends string>(key: string, allowed: readonly T[], fallback?: T): T {
    const value = this.values[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.problem(key, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`, value);
    return fallback ?? allowed[0];
  }

  /** A list of non-empty strings; `fallback` when absent (required when no fallback). */
  public stringList(key: string, fallback?: string[]): string[] {
    const value = this.values[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string' && v.length > 0)) return value as string[];
    this.problem(key, 'must be a list of non-empty strings', value);
    return fallback ?? [];
  }

  /** The raw value of a nested setting, for callers that check it themselves. */
  public raw(key: string): unknown {
    return this.values[key];
  }

  /** Throw one ConfigurationError naming every invalid setting, if there is any. */
  public validate(): void {
    if (this.problems.length > 0) {
      throw new ConfigurationError(`invalid settings in ${this.variable}: ${this.problems.join('; ')}`);
    }
  }

  private problem(key: string, requirement: string, value: unknown): void {
    this.problems.push(`${key} ${requirement}, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  }
}

/**
 * Like {@link JsonConfig.fromEnvironment}, but a missing variable means "all defaults".
 * A function rather than a static method so that bundles of handlers that do not use it
 * leave it out (esbuild cannot drop unused static methods).
 */
export function optionalJsonConfig(variable: string, env: NodeJS.ProcessEnv = process.env): JsonConfig {
  return env[variable] ? JsonConfig.fromEnvironment(variable, env) : new JsonConfig(variable, {});
}
