import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import { Deployment, MeshedFargateService, ServiceMesh } from '../src/mesh';
import { summarize } from './support/stats';

// Synth cost of MeshedFargateService against the plain ecs-patterns service it replaces.
// Each repetition builds a fresh App with a VPC, a cluster and 4 services, then synthesizes it
// (construct tree + template + cloud assembly written to a temp dir). The two variants run
// alternately in the same process so JIT warm-up and GC affect both alike.
const SERVICES = 4;
const WARMUP = 3;
const REPETITIONS = 20;
const OUT = mkdtempSync(path.join(tmpdir(), 'bench-synth-'));
let run = 0;
const newApp = () => new App({ outdir: path.join(OUT, String(run++)) });
const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27-alpine');

const resourceCounts = { meshed: 0, plain: 0 };

function countResources(app: App, stackName: string): number {
  return Object.keys(app.synth().getStackByName(stackName).template.Resources).length;
}

function synthMeshed(): number {
  const start = performance.now();
  const app = newApp();
  const stack = new Stack(app, 'Meshed');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const mesh = new ServiceMesh(stack, 'Mesh', { vpc, namespaceName: 'bench.local' });
  const services: MeshedFargateService[] = [];
  for (let i = 0; i < SERVICES; i++) {
    services.push(new MeshedFargateService(stack, `Service${i}`, {
      mesh,
      serviceName: `service-${i}`,
      image: IMAGE,
      port: 8080,
      healthCheck: { path: '/health' },
      publicLoadBalancer: true,
      deployment: i % 2 === 0 ? Deployment.canary() : Deployment.rolling(),
      autoscaling: { minCapacity: 2, maxCapacity: 10, cpuTarget: 60, requestsPerTarget: 500 },
    }));
  }
  for (let i = 1; i < SERVICES; i++) services[0].connectTo(services[i]);
  const elapsed = measureSynth(app, start);
  resourceCounts.meshed = countResources(app, 'Meshed');
  return elapsed;
}

function synthPlain(): number {
  const start = performance.now();
  const app = newApp();
  const stack = new Stack(app, 'Plain');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  for (let i = 0; i < SERVICES; i++) {
    const svc = new ecsPatterns.ApplicationLoadBalancedFargateService(stack, `Service${i}`, {
      cluster,
      taskImageOptions: { image: IMAGE, containerPort: 8080 },
      minHealthyPercent: 100,
      circuitBreaker: { rollback: true },
    });
    // The same scaling the meshed services get (CPU + ALB requests per target).
    const scaling = svc.service.autoScaleTaskCount({ minCapacity: 2, maxCapacity: 10 });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });
    scaling.scaleOnRequestCount('Requests', { requestsPerTarget: 500, targetGroup: svc.targetGroup });
  }
  const elapsed = measureSynth(app, start);
  resourceCounts.plain = countResources(app, 'Plain');
  return elapsed;
}

function measureSynth(app: App, start: number): number {
  app.synth();
  return performance.now() - start;
}

const meshed: number[] = [];
const plain: number[] = [];
for (let i = 0; i < WARMUP + REPETITIONS; i++) {
  const m = synthMeshed();
  const p = synthPlain();
  if (i >= WARMUP) {
    meshed.push(m);
    plain.push(p);
  }
}

rmSync(OUT, { recursive: true, force: true });

const round = (n: number) => +n.toFixed(1);
const m = summarize(meshed);
const p = summarize(plain);
console.log(`Synth time, stack with VPC + cluster + ${SERVICES} services (${REPETITIONS} repetitions after ${WARMUP} warm-up, ms):`);
console.table({
  MeshedFargateService: { median: round(m.median), mean: round(m.mean), min: round(m.min), max: round(m.max) },
  ApplicationLoadBalancedFargateService: { median: round(p.median), mean: round(p.mean), min: round(p.min), max: round(p.max) },
});
console.log(`ratio meshed/plain (median): ${(m.median / p.median).toFixed(2)} (goal <= 1.5)`);
// The minimum is the least disturbed by other load on a shared machine.
console.log(`ratio meshed/plain (min):    ${(m.min / p.min).toFixed(2)}`);
console.log(`resources per stack: meshed ${resourceCounts.meshed}, plain ${resourceCounts.plain}`);
