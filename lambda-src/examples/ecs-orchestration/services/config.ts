import { MAX_JOB_WORK_MS, SERVICE_ROLES, ServiceEnvironment, ServiceRole } from '../../../../examples/ecs-orchestration/service-settings';

/** What a role needs to start, read from its environment. */
export interface ServiceConfig {
  readonly role: ServiceRole;
  readonly port: number;
  readonly serviceName: string;
  readonly version: string;
  readonly failurePercent: number;
  readonly apiUrl?: string;
  readonly workerUrl?: string;
  readonly queueUrl?: string;
  readonly maxJobWorkMs: number;
}

/** The container's configuration is wrong; the message lists every problem. */
export class ConfigurationError extends Error {
  constructor(problems: string[]) {
    super(`invalid container configuration: ${problems.join('; ')}`);
    this.name = 'ConfigurationError';
  }
}

/** Reads the role (first argument) and the environment, reporting every problem at once. */
export function readConfig(role: string | undefined, env: Partial<ServiceEnvironment>): ServiceConfig {
  const problems: string[] = [];
  if (!SERVICE_ROLES.includes(role as ServiceRole)) problems.push(`the role argument must be one of ${SERVICE_ROLES.join(', ')}, got ${JSON.stringify(role)}`);
  const port = Number(env.PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`PORT must be an integer between 1 and 65535, got ${JSON.stringify(env.PORT)}`);
  if (!env.SERVICE_NAME || !/^[a-z][a-z0-9-]{0,62}$/.test(env.SERVICE_NAME)) {
    problems.push(`SERVICE_NAME must be a DNS label, got ${JSON.stringify(env.SERVICE_NAME)}`);
  }
  const failurePercent = Number(env.FAILURE_PERCENT ?? '0');
  if (!Number.isFinite(failurePercent) || failurePercent < 0 || failurePercent > 100) {
    problems.push(`FAILURE_PERCENT must be a number between 0 and 100, got ${JSON.stringify(env.FAILURE_PERCENT)}`);
  }
  const url = (name: 'API_URL' | 'WORKER_URL' | 'QUEUE_URL', required: boolean) => {
    const value = env[name];
    if (value === undefined || value === '') {
      if (required) problems.push(`${name} is required for the ${role} role`);
      return undefined;
    }
    if (!/^https?:\/\/[^\s/]+/.test(value)) problems.push(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
    return value.replace(/\/+$/, '');
  };
  const config: ServiceConfig = {
    role: role as ServiceRole,
    port,
    serviceName: env.SERVICE_NAME ?? '',
    version: env.APP_VERSION || 'v1',
    failurePercent,
    apiUrl: url('API_URL', role === 'web'),
    workerUrl: url('WORKER_URL', false),
    queueUrl: url('QUEUE_URL', role === 'worker'),
    maxJobWorkMs: MAX_JOB_WORK_MS,
  };
  if (problems.length > 0) throw new ConfigurationError(problems);
  return config;
}
