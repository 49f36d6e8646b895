import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Thrown at construct time when props are invalid. The message lists every problem found,
 * each naming the prop, the value given and what is allowed.
 */
export class PropsValidationError extends Error {
  public readonly problems: readonly string[];

  constructor(constructName: string, path: string, problems: readonly string[]) {
    const noun = problems.length === 1 ? 'problem' : 'problems';
    super(`${constructName} at '${path}' has invalid props (${problems.length} ${noun}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PropsValidationError';
    this.problems = problems;
  }
}

/**
 * Recognises the error the constructs of this library throw for invalid props. jsii cannot
 * export classes that extend `Error` to other languages, so (like aws-cdk-lib's `Errors`)
 * the error is identified here; in TypeScript its `name` is `PropsValidationError` and its
 * `problems` list every problem.
 *
 * @example
 * import { PropsValidationErrors } from 'cdk-service-integration';
 *
 * // an error your app caught around a construct's constructor
 * declare const caught: unknown;
 * // one sentence per invalid prop; empty when `caught` is another kind of error
 * const problems = PropsValidationErrors.problemsOf(caught);
 */
export class PropsValidationErrors {
  /** Whether `x` is the error a construct threw for invalid props. */
  public static isPropsValidationError(x: unknown): boolean {
    return x instanceof PropsValidationError;
  }

  /** The problems of such an error, one sentence each naming the prop, the value and what is allowed; empty for anything else. */
  public static problemsOf(x: unknown): string[] {
    return x instanceof PropsValidationError ? [...x.problems] : [];
  }

  private constructor() {}
}

/**
 * Collects prop problems so that a construct reports all of them in one error instead of
 * making the caller fix them one synth at a time. Values that are unresolved tokens are
 * skipped: they are only known at deploy time and must never be mis-validated.
 *
 * @example
 * const v = new PropsValidator(this, 'FanoutTopic');
 * v.integerInRange('maxReceiveCount', props.maxReceiveCount, 1, 1000);
 * v.throwIfInvalid();
 */
export class PropsValidator {
  private readonly problems: string[] = [];

  constructor(private readonly scope: IConstruct, private readonly constructName: string) {}

  /** Whether any problem has been recorded. */
  public get hasProblems(): boolean {
    return this.problems.length > 0;
  }

  /** Record a problem unconditionally: `<prop> <must ...>, got <value>`. */
  public fail(prop: string, requirement: string, value: unknown): this {
    this.problems.push(`${prop} ${requirement}, got ${describe(value)}`);
    return this;
  }

  /** Record a problem when `ok` is false. */
  public check(ok: boolean, prop: string, requirement: string, value: unknown): this {
    return ok ? this : this.fail(prop, requirement, value);
  }

  /** A number within [min, max] inclusive. */
  public inRange(prop: string, value: number | undefined, min: number, max: number): this {
    if (value === undefined || Token.isUnresolved(value)) return this;
    return this.check(Number.isFinite(value) && value >= min && value <= max, prop, `must be between ${min} and ${max}`, value);
  }

  /** An integer within [min, max] inclusive. */
  public integerInRange(prop: string, value: number | undefined, min: number, max: number): this {
    if (value === undefined || Token.isUnresolved(value)) return this;
    return this.check(Number.isInteger(value) && value >= min && value <= max, prop, `must be an integer between ${min} and ${max}`, value);
  }

  /** A duration within [min, max] inclusive. */
  public durationInRange(prop: string, value: Duration | undefined, min: Duration, max: Duration): this {
    if (value === undefined || value.isUnresolved()) return this;
    const ms = value.toMilliseconds();
    return this.check(
      ms >= min.toMilliseconds() && ms <= max.toMilliseconds(),
      prop,
      `must be between ${min.toHumanString()} and ${max.toHumanString()}`,
      value,
    );
  }

  /** A string that is one of `allowed`. */
  public oneOf(prop: string, value: string | undefined, allowed: readonly string[]): this {
    if (value === undefined || Token.isUnresolved(value)) return this;
    return this.check(allowed.includes(value), prop, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }

  /** A string matching `pattern`; `description` says in words what the pattern allows. */
  public matches(prop: string, value: string | undefined, pattern: RegExp, description: string): this {
    if (value === undefined || Token.isUnresolved(value)) return this;
    return this.check(pattern.test(value), prop, `must be ${description}`, value);
  }

  /** Throw one {@link PropsValidationError} listing every problem, if there is any. */
  public throwIfInvalid(): void {
    if (this.problems.length > 0) {
      throw new PropsValidationError(this.constructName, this.scope.node.path, this.problems);
    }
  }
}

/** Render a value for an error message: strings quoted, durations readable. */
function describe(value: unknown): string {
  if (value instanceof Duration) return value.toHumanString();
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
