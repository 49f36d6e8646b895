import { App, Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ProxiedDatabase, ProxiedDatabaseProps } from '../../src/data';

// The parameter group of ProxiedDatabase: the parameters the construct owns, the caller's
// `parameters`, and what is refused.
function build(props: Partial<ProxiedDatabaseProps> = {}): Template {
  const stack = new Stack(new App(), 'Test');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  new ProxiedDatabase(stack, 'Orders', { vpc, databaseName: 'orders', ...props });
  return Template.fromStack(stack);
}

function parametersOf(template: Template): Record<string, string> {
  const groups = Object.values(template.findResources('AWS::RDS::DBParameterGroup')) as Array<{ Properties: { Parameters: Record<string, string> } }>;
  expect(groups).toHaveLength(1);
  return groups[0].Properties.Parameters;
}

function errorOf(props: Partial<ProxiedDatabaseProps>): string {
  try {
    build(props);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the props to be refused');
}

describe('ProxiedDatabase parameters', () => {
  test('by default the group requires TLS and exports slow queries, and holds nothing else', () => {
    expect(parametersOf(build())).toEqual({ slow_query_log: '1', long_query_time: '1', log_output: 'FILE', require_secure_transport: '1' });
  });

  test('the caller\'s parameters are added to the construct\'s, values unchanged', () => {
    const parameters = parametersOf(build({
      parameters: { max_connections: '100', performance_schema: '1', innodb_lock_wait_timeout: '10', innodb_buffer_pool_size: '{DBInstanceClassMemory*3/4}' },
      monitoring: { slowQueryThreshold: Duration.millis(500) },
    }));
    expect(parameters).toEqual({
      slow_query_log: '1',
      long_query_time: '0.5',
      log_output: 'FILE',
      require_secure_transport: '1',
      max_connections: '100',
      performance_schema: '1',
      innodb_lock_wait_timeout: '10',
      innodb_buffer_pool_size: '{DBInstanceClassMemory*3/4}',
    });
  });

  test('an unresolved value is passed through unchecked', () => {
    const value = Lazy.string({ produce: () => '150' });
    const template = build({ parameters: { max_connections: value } });
    expect(parametersOf(template).max_connections).toBe('150');
  });

  test.each([
    ['require_secure_transport', '0', /parameters\.require_secure_transport is always 1: the proxy and the rotation function connect over TLS.*, got '0'/],
    ['REQUIRE_SECURE_TRANSPORT', 'OFF', /parameters\.REQUIRE_SECURE_TRANSPORT is always 1.*, got 'OFF'/],
    ['slow_query_log', '0', /parameters\.slow_query_log is always 1: .*monitoring\.slowQueryThreshold.*, got '0'/],
    ['long_query_time', '5', /parameters\.long_query_time is set from monitoring\.slowQueryThreshold; set that instead, so it cannot be set in parameters, got '5'/],
    ['log_output', 'TABLE', /parameters\.log_output is always FILE: RDS exports only file logs to CloudWatch Logs.*, got 'TABLE'/],
  ])('%s=%s, which the construct owns, is refused naming the prop that controls it', (name, value, message) => {
    expect(errorOf({ parameters: { [name]: value } })).toMatch(message);
  });

  test('malformed names and non-string or empty values are refused, every problem in one error', () => {
    const message = errorOf({ parameters: { '': '1', '1max': '2', 'max-connections': '3', 'max_connections': 100 as unknown as string, 'wait_timeout': '' } });
    expect(message).toMatch(/\(5 problems\)/);
    expect(message).toMatch(/parameters names must be MySQL parameter names \(a letter, then letters, digits or _; at most 128\), got ''/);
    expect(message).toMatch(/parameters names must be MySQL parameter names .*, got '1max'/);
    expect(message).toMatch(/parameters names must be MySQL parameter names .*, got 'max-connections'/);
    expect(message).toMatch(/parameters\.max_connections must be a non-empty string .*, got 100/);
    expect(message).toMatch(/parameters\.wait_timeout must be a non-empty string .*, got ''/);
  });

  test('parameters that are not an object are refused', () => {
    expect(errorOf({ parameters: ['max_connections=100'] as unknown as Record<string, string> }))
      .toMatch(/parameters must be an object of MySQL parameter names to string values, got \["max_connections=100"\]/);
  });
});

describe('ProxiedDatabase backup and maintenance windows', () => {
  test.each([
    ['03:00-04:00', 'sun:04:30-sun:05:30'],
    ['23:30-00:15', 'mon:00:30-mon:01:30'],
    ['12:00-12:30', 'sat:23:00-sun:01:00'],
  ])('backup %s and maintenance %s are accepted', (preferredWindow, preferredMaintenanceWindow) => {
    const template = build({ backup: { preferredWindow }, preferredMaintenanceWindow });
    template.hasResourceProperties('AWS::RDS::DBInstance', { PreferredBackupWindow: preferredWindow, PreferredMaintenanceWindow: preferredMaintenanceWindow });
  });

  test.each([
    ['03:00-04:00', 'wed:03:30-wed:04:30', 'the maintenance window starts inside the backup window'],
    ['03:00-04:00', 'fri:02:00-fri:03:01', 'the backup window starts inside the maintenance window'],
    ['23:30-00:30', 'sun:00:00-sun:01:00', 'the backup window wraps past midnight into the maintenance window'],
    ['01:00-02:00', 'sun:23:30-mon:01:30', 'the maintenance window wraps past the end of the week'],
  ])('backup %s and maintenance %s overlap (%s) and are refused', (preferredWindow, preferredMaintenanceWindow) => {
    expect(errorOf({ backup: { preferredWindow }, preferredMaintenanceWindow }))
      .toMatch(new RegExp(`preferredMaintenanceWindow must not overlap the daily backup window ${preferredWindow} \\(RDS refuses overlapping windows at deploy time\\), got '${preferredMaintenanceWindow}'`));
  });

  test('a maintenance window that overlaps the default backup window is refused', () => {
    expect(errorOf({ preferredMaintenanceWindow: 'tue:03:15-tue:03:45' })).toMatch(/must not overlap the daily backup window 03:00-04:00/);
  });

  test('windows shorter than 30 minutes are refused', () => {
    const message = errorOf({ backup: { preferredWindow: '03:00-03:20' }, preferredMaintenanceWindow: 'sun:05:00-sun:05:29' });
    expect(message).toMatch(/backup\.preferredWindow must last at least 30 minutes, got '03:00-03:20'/);
    expect(message).toMatch(/preferredMaintenanceWindow must last at least 30 minutes, got 'sun:05:00-sun:05:29'/);
  });

  test('malformed windows are reported once each, without an overlap verdict', () => {
    const message = errorOf({ backup: { preferredWindow: '3am' }, preferredMaintenanceWindow: 'sunday' });
    expect(message).toMatch(/\(2 problems\)/);
    expect(message).toMatch(/backup\.preferredWindow must be a UTC window hh24:mi-hh24:mi, got '3am'/);
    expect(message).toMatch(/preferredMaintenanceWindow must be a UTC window ddd:hh24:mi-ddd:hh24:mi, got 'sunday'/);
  });
});
