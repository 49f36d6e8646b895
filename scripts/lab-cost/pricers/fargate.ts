// ECS services on Fargate: how many tasks run, how big they are, and on which capacity.
import { LineItem, notPriced, priced, Pricer } from '../model';
import { hourly, Price, PRICES } from '../prices';
import { isRecord, literalNumber, literalString, referencedIds, StackResource, TemplateIndex } from '../template';

/** One entry of a capacity-provider strategy. */
export interface StrategyEntry {
  readonly provider: string;
  readonly base: number;
  readonly weight: number;
}

/** Tasks per capacity provider (fractions are the long-run share of the weights). */
export type TaskSplit = Readonly<Record<string, number>>;

/**
 * Spreads `tasks` over a strategy the way ECS does: the provider with a base gets up to that
 * many tasks first, the rest go to the providers in proportion to their weights.
 */
export function splitTasks(strategy: readonly StrategyEntry[], tasks: number): TaskSplit {
  const split: Record<string, number> = Object.fromEntries(strategy.map((s) => [s.provider, 0]));
  const withBase = strategy.find((s) => s.base > 0);
  const onBase = withBase ? Math.min(withBase.base, tasks) : 0;
  if (withBase) split[withBase.provider] += onBase;
  const rest = tasks - onBase;
  const totalWeight = strategy.reduce((sum, s) => sum + s.weight, 0);
  for (const s of strategy) {
    split[s.provider] += totalWeight > 0 ? (rest * s.weight) / totalWeight : 0;
  }
  return split;
}

/** Prices an `AWS::ECS::Service` whose tasks run on Fargate. */
export const priceEcsService: Pricer = (service, index) => {
  const taskDefinition = index.target(service.properties.TaskDefinition);
  if (!taskDefinition) return notPriced('its task definition is not in this template');
  const size = taskSize(taskDefinition);
  if (typeof size === 'string') return notPriced(size);
  const strategy = placement(service, index);
  if (typeof strategy === 'string') return notPriced(strategy);
  const count = taskCount(service, index);
  if (typeof count === 'string') return notPriced(count);

  const warnings = [...count.warnings];
  const idle = splitTasks(strategy, count.idle);
  const exercise = splitTasks(strategy, count.exercise);
  let spotIdle = idle.FARGATE_SPOT ?? 0;
  let spotExercise = exercise.FARGATE_SPOT ?? 0;
  if (size.arch === 'ARM64' && (spotIdle > 0 || spotExercise > 0)) {
    warnings.push('ECS cannot place ARM64 tasks on FARGATE_SPOT (it runs X86_64 only); its share is priced as on-demand FARGATE');
    spotIdle = spotExercise = 0;
  }
  const onDemandIdle = count.idle - spotIdle;
  const onDemandExercise = count.exercise - spotExercise;

  const perTask = taskHourly(size);
  const label = `Fargate task (${size.arch}, ${size.vcpu} vCPU, ${size.memoryGb} GB${size.extraEphemeralGb ? `, +${size.extraEphemeralGb} GB storage` : ''})`;
  const items: LineItem[] = [];
  if (onDemandIdle > 0 || onDemandExercise > 0) {
    items.push({ resourceType: service.type, description: `${label} on FARGATE`, unitHourly: perTask.usd, idleUnits: onDemandIdle, exerciseUnits: onDemandExercise, prices: perTask.prices });
  }
  if (spotIdle > 0 || spotExercise > 0) {
    const spot = PRICES.fargate.spot;
    items.push({
      resourceType: service.type,
      description: `${label} on FARGATE_SPOT`,
      unitHourly: perTask.usd * spot.high,
      unitHourlyLow: perTask.usd * spot.low,
      idleUnits: spotIdle,
      exerciseUnits: spotExercise,
      prices: perTask.prices,
    });
  }
  if (publicIpPerTask(service)) {
    const ip = PRICES.network.publicIpv4;
    items.push({ resourceType: service.type, description: 'public IPv4 address of a task (AssignPublicIp ENABLED)', unitHourly: hourly(ip), idleUnits: count.idle, exerciseUnits: count.exercise, prices: [ip] });
  }
  return priced(items, warnings);
};

interface TaskSize {
  readonly arch: 'X86_64' | 'ARM64';
  readonly vcpu: number;
  readonly memoryGb: number;
  readonly extraEphemeralGb: number;
}

/** The billed size of a Fargate task definition, or why it cannot be priced. */
function taskSize(taskDefinition: StackResource): TaskSize | string {
  const p = taskDefinition.properties;
  const vcpu = parseCpu(p.Cpu);
  const memoryGb = parseMemoryGb(p.Memory);
  if (vcpu === undefined || memoryGb === undefined) return `task CPU (${JSON.stringify(p.Cpu)}) or memory (${JSON.stringify(p.Memory)}) is not a literal Fargate size`;
  const platform = isRecord(p.RuntimePlatform) ? p.RuntimePlatform : {};
  const os = literalString(platform.OperatingSystemFamily) ?? 'LINUX';
  if (os !== 'LINUX') return `Fargate ${os} tasks have no price in the table`;
  const arch = literalString(platform.CpuArchitecture) ?? 'X86_64';
  if (arch !== 'X86_64' && arch !== 'ARM64') return `CPU architecture ${JSON.stringify(platform.CpuArchitecture)} is not a literal X86_64 or ARM64`;
  const ephemeral = isRecord(p.EphemeralStorage) ? literalNumber(p.EphemeralStorage.SizeInGiB) ?? 20 : 20;
  return { arch, vcpu, memoryGb, extraEphemeralGb: Math.max(0, ephemeral - 20) };
}

/** `"512"` CPU units or `"0.5 vCPU"` as vCPUs. */
function parseCpu(value: unknown): number | undefined {
  const units = literalNumber(value);
  if (units !== undefined) return units / 1024;
  const match = literalString(value)?.match(/^\s*(\d+(?:\.\d+)?)\s*vcpu\s*$/i);
  return match ? Number(match[1]) : undefined;
}

/** `"1024"` MiB or `"1 GB"` as GB (Fargate bills memory per GB = 1024 MiB). */
function parseMemoryGb(value: unknown): number | undefined {
  const mib = literalNumber(value);
  if (mib !== undefined) return mib / 1024;
  const match = literalString(value)?.match(/^\s*(\d+(?:\.\d+)?)\s*gb\s*$/i);
  return match ? Number(match[1]) : undefined;
}

/** On-demand price of one task-hour and the table entries it comes from. */
function taskHourly(size: TaskSize): { usd: number; prices: Price[] } {
  const rates = size.arch === 'ARM64' ? PRICES.fargate.arm64 : PRICES.fargate.x86;
  const prices: Price[] = [rates.vcpu, rates.memoryGb];
  let usd = size.vcpu * hourly(rates.vcpu) + size.memoryGb * hourly(rates.memoryGb);
  if (size.extraEphemeralGb > 0) {
    prices.push(PRICES.fargate.extraEphemeralGb);
    usd += size.extraEphemeralGb * hourly(PRICES.fargate.extraEphemeralGb);
  }
  return { usd, prices };
}

/** Where the service's tasks run: its own strategy, its launch type or the cluster's default strategy. */
function placement(service: StackResource, index: TemplateIndex): StrategyEntry[] | string {
  const launchType = literalString(service.properties.LaunchType);
  if (launchType === 'FARGATE') return [{ provider: 'FARGATE', base: 0, weight: 1 }];
  if (launchType !== undefined) return `launch type ${launchType} runs on instances the table does not price`;
  let strategy = service.properties.CapacityProviderStrategy;
  if (strategy === undefined) {
    const associations = index.referrers('AWS::ECS::ClusterCapacityProviderAssociations', 'Cluster', index.target(service.properties.Cluster)?.logicalId ?? '');
    strategy = associations[0]?.properties.DefaultCapacityProviderStrategy;
  }
  if (!Array.isArray(strategy) || strategy.length === 0) return 'it names no launch type and no capacity-provider strategy (ECS would use EC2)';
  const entries: StrategyEntry[] = [];
  for (const entry of strategy) {
    const provider = isRecord(entry) ? literalString(entry.CapacityProvider) : undefined;
    if (provider !== 'FARGATE' && provider !== 'FARGATE_SPOT') return `capacity provider ${JSON.stringify(isRecord(entry) ? entry.CapacityProvider : entry)} is not FARGATE or FARGATE_SPOT`;
    const base = literalNumber(entry.Base ?? 0);
    const weight = literalNumber(entry.Weight ?? 0);
    if (base === undefined || weight === undefined) return `the ${provider} base or weight is not a literal number`;
    entries.push({ provider, base, weight });
  }
  return entries;
}

interface TaskCount {
  readonly idle: number;
  readonly exercise: number;
  readonly warnings: readonly string[];
}

/**
 * Tasks running while idle and at most during exercises: DesiredCount when the template sets
 * it, held inside the scalable target's MinCapacity..MaxCapacity when one scales the service.
 */
function taskCount(service: StackResource, index: TemplateIndex): TaskCount | string {
  const desired = service.properties.DesiredCount === undefined ? undefined : literalNumber(service.properties.DesiredCount);
  if (service.properties.DesiredCount !== undefined && desired === undefined) return 'its DesiredCount is not a literal number';
  const target = index.ofType('AWS::ApplicationAutoScaling::ScalableTarget').find((t) =>
    t.properties.ScalableDimension === 'ecs:service:DesiredCount' && referencedIds(t.properties.ResourceId).has(service.logicalId));
  if (target) {
    const min = literalNumber(target.properties.MinCapacity);
    const max = literalNumber(target.properties.MaxCapacity);
    if (min === undefined || max === undefined) return `the MinCapacity/MaxCapacity of scalable target ${target.logicalId} are not literal numbers`;
    // Registering the target moves the running count inside [min, max].
    return { idle: Math.min(max, Math.max(min, desired ?? min)), exercise: max, warnings: [] };
  }
  if (desired !== undefined) return { idle: desired, exercise: desired, warnings: [] };
  return { idle: 1, exercise: 1, warnings: ['no DesiredCount and no scalable target: CloudFormation starts 1 task'] };
}

/** Whether every task of the service gets a public IPv4 address. */
function publicIpPerTask(service: StackResource): boolean {
  const network = service.properties.NetworkConfiguration;
  const awsvpc = isRecord(network) ? network.AwsvpcConfiguration : undefined;
  return isRecord(awsvpc) && awsvpc.AssignPublicIp === 'ENABLED';
}

/** Pricers of this file by CloudFormation type. */
export const FARGATE_PRICERS: Readonly<Record<string, Pricer>> = {
  'AWS::ECS::Service': priceEcsService,
};

