import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { build, invalid } from './mesh-fixture';
import { MeshedFargateServiceProps } from '../../src/mesh';

// Service Connect timeouts of the proxy: perRequestTimeout and idleTimeout.

function timeoutOf(extra: Partial<MeshedFargateServiceProps>): unknown {
  const services = build(extra).template.findResources('AWS::ECS::Service');
  const [service] = Object.values(services);
  return service.Properties.ServiceConnectConfiguration.Services[0].Timeout;
}

describe('MeshedFargateService: Service Connect timeouts', () => {
  test('without timeouts the proxy keeps the Service Connect defaults and no Timeout is rendered', () => {
    expect(timeoutOf({})).toBeUndefined();
  });

  test('idleTimeout and perRequestTimeout reach the proxy in seconds', () => {
    expect(timeoutOf({ perRequestTimeout: Duration.seconds(5), idleTimeout: Duration.minutes(2) }))
      .toEqual({ PerRequestTimeoutSeconds: 5, IdleTimeoutSeconds: 120 });
  });

  test('idleTimeout alone leaves the per-request timeout at its default', () => {
    build({ idleTimeout: Duration.hours(1) }).template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: { Services: [Match.objectLike({ Timeout: { IdleTimeoutSeconds: 3600 } })] },
    });
  });

  test('0 disables either timeout and lifts the ordering rule', () => {
    expect(timeoutOf({ perRequestTimeout: Duration.seconds(0), idleTimeout: Duration.seconds(0) }))
      .toEqual({ PerRequestTimeoutSeconds: 0, IdleTimeoutSeconds: 0 });
    expect(timeoutOf({ perRequestTimeout: Duration.seconds(0), idleTimeout: Duration.seconds(10) }))
      .toEqual({ PerRequestTimeoutSeconds: 0, IdleTimeoutSeconds: 10 });
    expect(timeoutOf({ perRequestTimeout: Duration.minutes(10), idleTimeout: Duration.seconds(0) }))
      .toEqual({ PerRequestTimeoutSeconds: 600, IdleTimeoutSeconds: 0 });
  });

  test('an idleTimeout equal to perRequestTimeout is accepted', () => {
    expect(timeoutOf({ perRequestTimeout: Duration.seconds(30), idleTimeout: Duration.seconds(30) }))
      .toEqual({ PerRequestTimeoutSeconds: 30, IdleTimeoutSeconds: 30 });
  });

  test.each([
    ['a fractional perRequestTimeout', { perRequestTimeout: Duration.millis(1500) },
      'perRequestTimeout must be whole seconds between 0 (disabled) and 2147483647 (ECS limit), got 1 second 500 millis'],
    ['a sub-second idleTimeout', { idleTimeout: Duration.millis(500) },
      'idleTimeout must be whole seconds between 0 (disabled) and 2147483647 (ECS limit), got 500 millis'],
    ['a perRequestTimeout beyond the ECS maximum', { perRequestTimeout: Duration.seconds(2_147_483_648) },
      'perRequestTimeout must be whole seconds between 0 (disabled) and 2147483647 (ECS limit)'],
    ['an idleTimeout shorter than perRequestTimeout', { perRequestTimeout: Duration.seconds(30), idleTimeout: Duration.seconds(10) },
      'idleTimeout must not be shorter than perRequestTimeout (30 seconds) unless one of them is 0: the proxy would close the connection '
        + 'at the idle timeout first, got 10 seconds'],
  ] as Array<[string, Partial<MeshedFargateServiceProps>, string]>)('rejects %s naming the prop and the value', (_name, extra, message) => {
    const error = invalid(extra);
    expect(error).toMatch(/^MeshedFargateService at 'Stack\/Orders' has invalid props \(1 problem\)/);
    expect(error).toContain(message);
  });

  test('a fractional perRequestTimeout and a sub-second idleTimeout are reported together', () => {
    const error = invalid({ perRequestTimeout: Duration.millis(2500), idleTimeout: Duration.millis(999) });
    expect(error).toMatch(/\(3 problems\)/);
    expect(error).toMatch(/perRequestTimeout must be whole seconds/);
    expect(error).toMatch(/idleTimeout must be whole seconds/);
    expect(error).toMatch(/idleTimeout must not be shorter than perRequestTimeout/);
  });
});
