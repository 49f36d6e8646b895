import { Duration, Token } from 'aws-cdk-lib';
import { PropsValidator } from '../core/validation';

// MySQL parameters ProxiedDatabase sets itself. Each one is part of what the construct
// promises (slow queries exported to CloudWatch Logs, TLS on every connection to the
// instance), so a caller's value would silently break that promise: it is refused with
// the prop that controls the behaviour instead.
const CONSTRUCT_PARAMETERS: ReadonlyMap<string, string> = new Map([
  ['slow_query_log', 'is always 1: the slow query log is exported to CloudWatch Logs; tune it with monitoring.slowQueryThreshold'],
  ['long_query_time', 'is set from monitoring.slowQueryThreshold; set that instead'],
  ['log_output', 'is always FILE: RDS exports only file logs to CloudWatch Logs'],
  ['require_secure_transport', 'is always 1: the proxy and the rotation function connect over TLS, and nothing else may connect without it'],
]);

const PARAMETER_NAME = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;

/**
 * The parameter group of a ProxiedDatabase: what the construct sets, then the caller's
 * `parameters`. Names are checked for shape only (RDS refuses unknown names and values at
 * deploy time, which no offline check can match); values must be non-empty strings.
 */
export function resolveDatabaseParameters(
  v: PropsValidator,
  parameters: { [name: string]: string } | undefined,
  slowQueryThreshold: Duration,
): { [name: string]: string } {
  const resolved: { [name: string]: string } = {
    slow_query_log: '1',
    long_query_time: String(slowQueryThreshold.toMilliseconds() / 1000),
    log_output: 'FILE',
    require_secure_transport: '1',
  };
  if (parameters === undefined) return resolved;
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    v.fail('parameters', 'must be an object of MySQL parameter names to string values', parameters);
    return resolved;
  }
  for (const [name, value] of Object.entries(parameters)) {
    if (Token.isUnresolved(name)) {
      resolved[name] = value;
      continue;
    }
    const prop = `parameters.${name}`;
    const owned = CONSTRUCT_PARAMETERS.get(name.toLowerCase());
    if (owned) {
      v.fail(prop, `${owned}, so it cannot be set in parameters`, value);
      continue;
    }
    const nameOk = PARAMETER_NAME.test(name);
    v.check(nameOk, 'parameters', 'names must be MySQL parameter names (a letter, then letters, digits or _; at most 128)', name);
    const valueOk = typeof value === 'string' && (value.length > 0 || Token.isUnresolved(value));
    v.check(valueOk, prop, 'must be a non-empty string (RDS parameter values are strings, e.g. \'200\' or \'{DBInstanceClassMemory/12582880}\')', value);
    if (nameOk && valueOk) resolved[name] = value;
  }
  return resolved;
}
