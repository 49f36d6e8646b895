import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { REFERENCE_PATH } from './approval-summary';
import { PropsValidator } from '../core/validation';

type ConditionSpec =
  | { readonly kind: 'always' }
  | { readonly kind: 'compare'; readonly op: 'gt' | 'gte' | 'lt' | 'stringEquals' | 'booleanEquals' | 'isPresent'; readonly path: string; readonly value?: unknown }
  | { readonly kind: 'anyOf' | 'allOf'; readonly conditions: ApprovalCondition[] };

const specs = new WeakMap<ApprovalCondition, ConditionSpec>();

/**
 * When an execution needs a human decision, judged on the execution's state (after
 * `beforeApproval`) with JSONPath. Executions that do not need one go straight to
 * `onApproved`. Comparisons fail closed: when the value at the path is missing or of the
 * wrong type, the execution needs approval, so malformed input never skips the human.
 *
 * @example
 * import { ApprovalCondition } from 'cdk-service-integration';
 *
 * const largeOrders = ApprovalCondition.numberGreaterThan('$.amount', 100);
 */
export class ApprovalCondition {
  /** Every execution needs approval. */
  public static always(): ApprovalCondition {
    return new ApprovalCondition({ kind: 'always' }, 'always');
  }

  /** Approval when the number at `path` is greater than `value`. */
  public static numberGreaterThan(path: string, value: number): ApprovalCondition {
    return new ApprovalCondition({ kind: 'compare', op: 'gt', path, value }, `${path} > ${value}`);
  }

  /** Approval when the number at `path` is greater than or equal to `value`. */
  public static numberGreaterThanOrEqual(path: string, value: number): ApprovalCondition {
    return new ApprovalCondition({ kind: 'compare', op: 'gte', path, value }, `${path} >= ${value}`);
  }

  /** Approval when the number at `path` is less than `value`. */
  public static numberLessThan(path: string, value: number): ApprovalCondition {
    return new ApprovalCondition({ kind: 'compare', op: 'lt', path, value }, `${path} < ${value}`);
  }

  /** Approval when the string at `path` equals `value`. */
  public static stringEquals(path: string, value: string): ApprovalCondition {
    return new ApprovalCondition({ kind: 'compare', op: 'stringEquals', path, value }, `${path} == '${value}'`);
  }

  /** Approval when the boolean at `path` equals `value`. */
  public static booleanEquals(path: string, value: boolean): ApprovalCondition {
    return new ApprovalCondition({ kind: 'compare', op: 'booleanEquals', path, value }, `${path} == ${value}`);
  }

  /** Approval when the input has a value at `path`. */
  public static isPresent(path: string): ApprovalCondition {
    return new ApprovalCondition({ kind: 'compare', op: 'isPresent', path }, `${path} is present`);
  }

  /** Approval when any of the conditions holds. */
  public static anyOf(...conditions: ApprovalCondition[]): ApprovalCondition {
    return new ApprovalCondition({ kind: 'anyOf', conditions }, `any of (${conditions.map((c) => c.description).join(', ')})`);
  }

  /** Approval when all of the conditions hold. */
  public static allOf(...conditions: ApprovalCondition[]): ApprovalCondition {
    return new ApprovalCondition({ kind: 'allOf', conditions }, `all of (${conditions.map((c) => c.description).join(', ')})`);
  }

  /** The condition in words, e.g. `$.amount > 100`. */
  public readonly description: string;

  private constructor(spec: ConditionSpec, description: string) {
    specs.set(this, spec);
    this.description = description;
  }
}

/** Whether the condition is `always()` (then the workflow needs no Choice state). */
export function isAlwaysCondition(condition: ApprovalCondition): boolean {
  return specs.get(condition)?.kind === 'always';
}

/** Record every invalid path or value of `condition` on `validator` under `prop`. */
export function validateApprovalCondition(validator: PropsValidator, prop: string, condition: ApprovalCondition | undefined): void {
  const spec = condition ? specs.get(condition) : undefined;
  if (!spec) {
    if (condition !== undefined) validator.fail(prop, 'must be created with an ApprovalCondition factory such as ApprovalCondition.always()', condition);
    return;
  }
  if (spec.kind === 'always') return;
  if (spec.kind === 'anyOf' || spec.kind === 'allOf') {
    validator.check(spec.conditions.length > 0, prop, `${spec.kind} needs at least one condition`, spec.conditions.length);
    spec.conditions.forEach((c, i) => validateApprovalCondition(validator, `${prop}.${spec.kind}[${i}]`, c));
    return;
  }
  if (spec.kind !== 'compare') return;
  validator.matches(`${prop} path`, spec.path, REFERENCE_PATH, "a JSONPath reference path such as '$.amount' (no wildcards or filters)");
  if (spec.op === 'gt' || spec.op === 'gte' || spec.op === 'lt') {
    validator.check(typeof spec.value === 'number' && Number.isFinite(spec.value), `${prop} value`, 'must be a finite number', spec.value);
  }
}


/** The Choice condition; call only after validation. */
export function renderApprovalCondition(condition: ApprovalCondition): sfn.Condition {
  const spec = specs.get(condition)!;
  switch (spec.kind) {
    case 'always':
      return sfn.Condition.isPresent('$$.Execution.Id'); // true for every execution
    case 'anyOf':
      return sfn.Condition.or(...spec.conditions.map(renderApprovalCondition));
    case 'allOf':
      return sfn.Condition.and(...spec.conditions.map(renderApprovalCondition));
    case 'compare': {
      if (spec.op === 'isPresent') return sfn.Condition.isPresent(spec.path);
      // Fail closed: a missing value or one of the wrong type needs a human too. Choice
      // evaluates And/Or left to right and stops early, so the comparison never sees a
      // missing path.
      const [typeTest, compare] = comparison(spec.op, spec.path, spec.value);
      return sfn.Condition.or(sfn.Condition.not(sfn.Condition.isPresent(spec.path)), sfn.Condition.not(typeTest), compare);
    }
  }
}

function comparison(op: 'gt' | 'gte' | 'lt' | 'stringEquals' | 'booleanEquals', path: string, value: unknown): [sfn.Condition, sfn.Condition] {
  switch (op) {
    case 'gt':
      return [sfn.Condition.isNumeric(path), sfn.Condition.numberGreaterThan(path, value as number)];
    case 'gte':
      return [sfn.Condition.isNumeric(path), sfn.Condition.numberGreaterThanEquals(path, value as number)];
    case 'lt':
      return [sfn.Condition.isNumeric(path), sfn.Condition.numberLessThan(path, value as number)];
    case 'stringEquals':
      return [sfn.Condition.isString(path), sfn.Condition.stringEquals(path, value as string)];
    case 'booleanEquals':
      return [sfn.Condition.isBoolean(path), sfn.Condition.booleanEquals(path, value as boolean)];
  }
}
