import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiRoutes } from './api';
import { ConfigurationError, readConfig, ServiceConfig } from './config';
import { emfLine } from './emf';
import { createJsonServer, fetchJson, Routes } from './http';
import { log } from './log';
import { MinuteMeter } from './minute-meter';
import { SqsJobQueue } from './sqs-queue';
import { webRoutes } from './web';
import { QueueWorker } from './worker';
import {
  API_ERRORS_METRIC, JOB_FAILURES_METRIC, JOBS_PROCESSED_METRIC, ServiceEnvironment, WEB_REQUESTS_METRIC,
} from '../../../../examples/ecs-orchestration/service-settings';

// The ECS orchestration lab's container program: `node index.js web|api|worker`. Every role
// serves HTTP on PORT (/health for the container and target-group checks) and writes its
// metrics as EMF lines to stdout once a minute; the worker also consumes the job queue.

const METRICS = { web: [WEB_REQUESTS_METRIC, API_ERRORS_METRIC], api: [], worker: [JOBS_PROCESSED_METRIC, JOB_FAILURES_METRIC] };

function main(): void {
  let config: ServiceConfig;
  try {
    config = readConfig(process.argv[2], process.env as Partial<ServiceEnvironment>);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    log('error', error.message);
    process.exit(1);
  }
  const meter = new MinuteMeter(METRICS[config.role], Date.now);
  const publish = (windows: Array<[number, Record<string, number>]>) => {
    if (METRICS[config.role].length === 0) return;
    for (const [start, counts] of windows) process.stdout.write(`${emfLine(config.serviceName, start, counts)}\n`);
  };
  // Publish each minute just after it closed.
  let publishTimer: NodeJS.Timeout;
  const schedulePublish = () => {
    publishTimer = setTimeout(() => {
      publish(meter.takeFinished());
      schedulePublish();
    }, meter.msUntilNextWindow() + 1000);
  };
  schedulePublish();

  const worker = config.role === 'worker'
    ? new QueueWorker({ queue: new SqsJobQueue(config.queueUrl!), meter, maxJobWorkMs: config.maxJobWorkMs, sleep, log, now: Date.now })
    : undefined;
  const routes: Routes = config.role === 'web'
    ? webRoutes({ ...config, apiUrl: config.apiUrl!, meter, fetchJson, random: Math.random })
    : config.role === 'api'
      ? apiRoutes({ ...config, taskName: hostname(), random: Math.random })
      : async (_method, path) => (path === '/health' ? { status: 200, body: { status: 'ok' } }
        : path === '/stats' ? { status: 200, body: { service: config.serviceName, version: config.version, task: hostname(), ...worker!.stats } }
          : { status: 404, body: { error: 'not found' } });
  const server = createJsonServer(routes, (error) => log('error', 'request failed', { error: String(error) }));
  server.listen(config.port, () => log('info', 'listening', { role: config.role, port: config.port, version: config.version }));
  const running = worker?.run() ?? Promise.resolve();

  // ECS sends SIGTERM before stopping a task (a deployment, scale-in or a Spot interruption).
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('info', 'stopping', { signal });
    worker?.stop();
    clearTimeout(publishTimer);
    void running.then(() => {
      publish(meter.takeAll());
      server.close(() => process.exit(0));
      server.closeAllConnections();
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main();
