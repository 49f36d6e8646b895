import { App, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { PropsValidationError, PropsValidator } from '../../src/core/validation';

function validator(): PropsValidator {
  return new PropsValidator(new Stack(new App(), 'Stack'), 'TestConstruct');
}

function errorOf(fn: () => void): PropsValidationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PropsValidationError) return err;
    throw err;
  }
  throw new Error('expected a PropsValidationError');
}

describe('PropsValidator', () => {
  test('valid props do not throw', () => {
    const v = validator()
      .integerInRange('maxReceiveCount', 5, 1, 1000)
      .inRange('ratio', 0.5, 0, 1)
      .durationInRange('timeout', Duration.seconds(30), Duration.seconds(1), Duration.minutes(15))
      .oneOf('mode', 'fast', ['fast', 'slow'])
      .matches('name', 'orders', /^[a-z]+$/, 'lower-case letters');
    expect(v.hasProblems).toBe(false);
    expect(() => v.throwIfInvalid()).not.toThrow();
  });

  test('every problem is reported in one error naming the construct path, prop, value and allowed range', () => {
    const stack = new Stack(new App(), 'Orders');
    const v = new PropsValidator(stack, 'FanoutTopic')
      .integerInRange('maxReceiveCount', 0, 1, 1000)
      .durationInRange('retention', Duration.days(20), Duration.minutes(1), Duration.days(14))
      .oneOf('mode', 'medium', ['fast', 'slow']);
    const err = errorOf(() => v.throwIfInvalid());
    expect(err.problems).toEqual([
      'maxReceiveCount must be an integer between 1 and 1000, got 0',
      'retention must be between 1 minute and 14 days, got 20 days',
      "mode must be one of 'fast', 'slow', got 'medium'",
    ]);
    expect(err.message).toContain("FanoutTopic at 'Orders' has invalid props (3 problems):");
    expect(err.message).toContain('  - maxReceiveCount must be an integer between 1 and 1000, got 0');
  });

  test('non-integers fail integerInRange and NaN fails inRange', () => {
    const v = validator().integerInRange('batchSize', 2.5, 1, 10).inRange('ratio', NaN, 0, 1);
    expect(errorOf(() => v.throwIfInvalid()).problems).toEqual([
      'batchSize must be an integer between 1 and 10, got 2.5',
      'ratio must be between 0 and 1, got null',
    ]);
  });

  test('unresolved tokens and undefined values are skipped, never mis-validated', () => {
    const tokenNumber = Lazy.number({ produce: () => 0 });
    const tokenString = Lazy.string({ produce: () => 'nope' });
    const v = validator()
      .integerInRange('maxReceiveCount', tokenNumber, 1, 1000)
      .oneOf('mode', tokenString, ['fast'])
      .matches('name', tokenString, /^[a-z]+$/, 'lower-case letters')
      .durationInRange('timeout', Duration.seconds(tokenNumber), Duration.seconds(1), Duration.seconds(2))
      .integerInRange('absent', undefined, 1, 2);
    expect(v.hasProblems).toBe(false);
  });

  test('check and fail record free-form requirements', () => {
    const v = validator()
      .check(false, 'queues', 'must not contain two queues with the same id', 'Inventory')
      .check(true, 'ignored', 'never reported', 1);
    expect(errorOf(() => v.throwIfInvalid()).problems).toEqual([
      "queues must not contain two queues with the same id, got 'Inventory'",
    ]);
    expect(errorOf(() => v.throwIfInvalid()).message).toContain('(1 problem)');
  });
});
