import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { scratchVolumeName } from './container-hardening';
import { Deployment } from './deployment';
import { describeFargateMemory, isFargateTaskSize } from './fargate-sizes';
import type { MeshedFargateServiceProps } from './meshed-fargate-service-props';
import { COLLECTOR_SIZE } from './otel-collector';
import { trackingProblems } from './tracked-metric';
import { PropsValidator } from '../core/validation';

/** A DNS label: what Service Connect accepts as discovery name and client alias. */
const DNS_LABEL = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Resources the Service Connect proxy (an Envoy ECS injects into every task) needs. */
export const PROXY_HEADROOM = { cpu: 256, memoryMiB: 64 };
/** A container user: `uid`, `uid:gid`, `name` or `name:group`. */
const CONTAINER_USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$/;
/** An absolute directory path below /, no segment starting with `.` (so no `.` or `..`), no trailing slash. */
const SCRATCH_PATH = /^(\/[A-Za-z0-9_@+-][A-Za-z0-9_.@+-]*)+$/;
/** Largest Service Connect timeout ECS accepts, in seconds. */
const MAX_TIMEOUT_SECONDS = 2_147_483_647;
/** The application keeps at least this much memory after the sidecars' headroom. */
const MIN_APP_MEMORY_MIB = 256;

/** Values after defaults were applied. */
export interface ResolvedServiceProps {
  readonly cpu: number;
  readonly memory: number;
  readonly architecture: ecs.CpuArchitecture;
  readonly deployment: Deployment;
  readonly capacity: ecs.CapacityProviderStrategy[];
  readonly accessLogs: boolean;
  readonly readonlyRootFilesystem: boolean;
  readonly scratchPaths: readonly string[];
}

/** Every prop problem of a MeshedFargateService, reported in one error. */
export function validateServiceProps(scope: Construct, props: MeshedFargateServiceProps, r: ResolvedServiceProps): void {
  const v = new PropsValidator(scope, 'MeshedFargateService');
  v.matches('serviceName', props.serviceName, DNS_LABEL,
    'a DNS label: 1-63 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen');
  v.integerInRange('port', props.port, 1, 65535);
  v.matches('healthCheck.path', props.healthCheck.path, /^\/\S*$/, 'an absolute path starting with \'/\'');
  v.integerInRange('healthCheck.unhealthyThreshold', props.healthCheck.unhealthyThreshold, 1, 10);
  v.durationInRange('healthCheck.interval', props.healthCheck.interval, Duration.seconds(5), Duration.seconds(300));
  v.durationInRange('healthCheck.timeout', props.healthCheck.timeout, Duration.seconds(2), Duration.seconds(60));
  v.durationInRange('healthCheck.startPeriod', props.healthCheck.startPeriod, Duration.seconds(0), Duration.seconds(300));

  if (!Token.isUnresolved(r.cpu) && !Token.isUnresolved(r.memory)) {
    v.check(isFargateTaskSize(r.cpu, r.memory), 'cpu/memoryLimitMiB',
      `must be a task size Fargate offers (${describeFargateMemory(r.cpu)})`, `${r.cpu} CPU / ${r.memory} MiB`);
    const left = r.memory - PROXY_HEADROOM.memoryMiB - (props.openTelemetry ? COLLECTOR_SIZE.memoryMiB : 0);
    v.check(left >= MIN_APP_MEMORY_MIB, 'memoryLimitMiB',
      `must leave at least ${MIN_APP_MEMORY_MIB} MiB for the application after the Service Connect proxy (64 MiB)`
        + `${props.openTelemetry ? ' and the collector (256 MiB)' : ''}`, r.memory);
  }

  const a = props.autoscaling;
  v.integerInRange('autoscaling.minCapacity', a.minCapacity, 0, 5000);
  v.integerInRange('autoscaling.maxCapacity', a.maxCapacity, 1, 5000);
  if (!Token.isUnresolved(a.minCapacity) && !Token.isUnresolved(a.maxCapacity)) {
    v.check(a.minCapacity <= a.maxCapacity, 'autoscaling.minCapacity', `must not exceed maxCapacity (${a.maxCapacity})`, a.minCapacity);
  }
  v.inRange('autoscaling.cpuTarget', a.cpuTarget, 1, 100);
  v.inRange('autoscaling.memoryTarget', a.memoryTarget, 1, 100);
  v.integerInRange('autoscaling.requestsPerTarget', a.requestsPerTarget, 1, 1_000_000);
  if (a.requestsPerTarget !== undefined) {
    v.check(props.publicLoadBalancer === true, 'autoscaling.requestsPerTarget', 'needs publicLoadBalancer: true (it tracks ALB requests)', a.requestsPerTarget);
  }
  if (a.customMetric) {
    v.check(Token.isUnresolved(a.customMetric.target) || (Number.isFinite(a.customMetric.target) && a.customMetric.target > 0),
      'autoscaling.customMetric.target', 'must be a positive number', a.customMetric.target);
    for (const problem of trackingProblems(a.customMetric.metric)) v.fail('autoscaling.customMetric', `cannot be tracked: ${problem}`, 'the metric');
    if (a.customMetric.perTask && !Token.isUnresolved(a.minCapacity)) {
      v.check(a.minCapacity >= 1, 'autoscaling.customMetric.perTask', 'needs autoscaling.minCapacity of at least 1 (with no running task there is nothing to divide by)', a.minCapacity);
    }
  }

  const spot = r.capacity.find((s) => s.capacityProvider === 'FARGATE_SPOT');
  v.integerInRange('capacity.spotWeight', props.capacity?.spotWeight, 0, 1000);
  v.integerInRange('capacity.onDemandWeight', props.capacity?.onDemandWeight, 0, 1000);
  v.integerInRange('capacity.onDemandBase', props.capacity?.onDemandBase, 0, 100000);
  v.check(r.capacity.some((s) => (s.weight ?? 0) > 0), 'capacity', 'must give FARGATE or FARGATE_SPOT a weight above 0',
    { spotWeight: props.capacity?.spotWeight ?? 0, onDemandWeight: props.capacity?.onDemandWeight });
  if (spot && r.architecture === ecs.CpuArchitecture.ARM64) {
    v.fail('capacity.spotWeight', 'must be 0 with cpuArchitecture ARM64 (FARGATE_SPOT runs X86_64 only)', spot.weight);
  }

  const d = r.deployment;
  if (d.strategy === ecs.DeploymentStrategy.CANARY && d.stepPercent !== undefined && !Token.isUnresolved(d.stepPercent)) {
    v.check(d.stepPercent >= 0.1 && d.stepPercent <= 100 && isTenth(d.stepPercent), 'deployment.percent',
      'must be between 0.1 and 100 in steps of 0.1 for a canary (ECS limit)', d.stepPercent);
  }
  if (d.strategy === ecs.DeploymentStrategy.LINEAR && d.stepPercent !== undefined && !Token.isUnresolved(d.stepPercent)) {
    v.check(d.stepPercent >= 3 && d.stepPercent <= 100 && isTenth(d.stepPercent), 'deployment.percent',
      'must be between 3 and 100 in steps of 0.1 for a linear deployment (ECS limit)', d.stepPercent);
  }
  for (const [prop, value] of [['deployment.bake', d.stepBake], ['deployment.postShiftBake', d.bake]] as const) {
    if (value === undefined || value.isUnresolved()) continue;
    const minutes = value.toMinutes({ integral: false });
    v.check(Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440, prop, 'must be whole minutes between 0 and 1440 (ECS limit)', value);
  }

  validateProductionRulePriority(v, props, d);
  validateServiceConnectTimeouts(v, props);
  validateContainerHardening(v, props, r);
  v.durationInRange('deregistrationDelay', props.deregistrationDelay, Duration.seconds(0), Duration.seconds(3600));
  v.integerInRange('healthCheck.healthyThreshold', props.healthCheck.healthyThreshold, 2, 10);
  if (props.deregistrationDelay && !props.publicLoadBalancer) {
    v.fail('deregistrationDelay', 'needs publicLoadBalancer: true (it is a target group setting)', props.deregistrationDelay);
  }
  if (props.healthCheck.healthyThreshold !== undefined && !props.publicLoadBalancer) {
    v.fail('healthCheck.healthyThreshold', 'needs publicLoadBalancer: true (only the target group counts healthy checks)', props.healthCheck.healthyThreshold);
  }

  if (props.certificate && !props.publicLoadBalancer) {
    v.fail('certificate', 'needs publicLoadBalancer: true', 'a certificate');
  }
  if (r.accessLogs && Token.isUnresolved(Stack.of(scope).region)) {
    v.fail('loadBalancerAccessLogs', 'needs a stack with a concrete region (env: { region }) because the ELB log-delivery principal is regional', true);
  }
  if ((props.loadBalancerAccessLogs === true || props.loadBalancerAccessLogsBucket) && !props.publicLoadBalancer) {
    v.fail('loadBalancerAccessLogs', 'needs publicLoadBalancer: true', true);
  }
  v.throwIfInvalid();
}

/** The production listener rule exists only behind the ALB with a traffic-shifting deployment. */
function validateProductionRulePriority(v: PropsValidator, props: MeshedFargateServiceProps, d: Deployment): void {
  const priority = props.productionRulePriority;
  if (priority === undefined) return;
  // ALB listener rule priorities (1-50000, ELB limit).
  v.integerInRange('productionRulePriority', priority, 1, 50_000);
  if (props.publicLoadBalancer !== true || !d.shiftsTraffic) {
    v.fail('productionRulePriority',
      'needs publicLoadBalancer: true and a traffic-shifting deployment (Deployment.canary, linear or blueGreen): '
        + `only then is there a production listener rule (publicLoadBalancer is ${props.publicLoadBalancer === true}, deployment is ${d.strategy})`,
      priority);
  }
}

/** Service Connect timeouts: whole seconds (the template takes seconds), 0 disables one. */
function validateServiceConnectTimeouts(v: PropsValidator, props: MeshedFargateServiceProps): void {
  const timeouts = [['perRequestTimeout', props.perRequestTimeout], ['idleTimeout', props.idleTimeout]] as const;
  for (const [prop, value] of timeouts) {
    if (value === undefined || value.isUnresolved()) continue;
    const seconds = value.toSeconds({ integral: false });
    v.check(Number.isInteger(seconds) && seconds >= 0 && seconds <= MAX_TIMEOUT_SECONDS, prop,
      `must be whole seconds between 0 (disabled) and ${MAX_TIMEOUT_SECONDS} (ECS limit)`, value);
  }
  const perRequest = props.perRequestTimeout;
  const idle = props.idleTimeout;
  if (perRequest && idle && !perRequest.isUnresolved() && !idle.isUnresolved()) {
    const idleMs = idle.toMilliseconds();
    const perRequestMs = perRequest.toMilliseconds();
    // The proxy closes an idle connection first, so a longer per-request timeout would never fire.
    v.check(idleMs === 0 || perRequestMs === 0 || idleMs >= perRequestMs, 'idleTimeout',
      `must not be shorter than perRequestTimeout (${perRequest.toHumanString()}) unless one of them is 0: `
        + 'the proxy would close the connection at the idle timeout first', idle);
  }
}

/** User, read-only root filesystem and scratch paths of the application container. */
function validateContainerHardening(v: PropsValidator, props: MeshedFargateServiceProps, r: ResolvedServiceProps): void {
  v.matches('user', props.user, CONTAINER_USER, 'a uid, uid:gid, user name or user:group (letters, digits, \'_\', \'.\', \'-\')');
  if (r.readonlyRootFilesystem && props.enableExecuteCommand) {
    v.fail('readonlyRootFilesystem', 'must be false with enableExecuteCommand: true (the ECS Exec agent writes to the container\'s file system)', true);
  }
  const names = new Map<string, string>();
  for (const path of r.scratchPaths) {
    if (Token.isUnresolved(path)) continue;
    if (!SCRATCH_PATH.test(path)) {
      v.fail('scratchPaths', 'must hold absolute directory paths below / (segments of letters, digits, \'_\', \'-\', \'.\', not starting with \'.\'), '
        + 'without a trailing slash', path);
      continue;
    }
    const clash = names.get(scratchVolumeName(path));
    if (clash !== undefined) v.fail('scratchPaths', `must name distinct directories ('${clash}' and '${path}' map to the same volume name)`, path);
    names.set(scratchVolumeName(path), path);
  }
}

function isTenth(value: number): boolean {
  return Math.abs(Math.round(value * 10) - value * 10) < 1e-9;
}
