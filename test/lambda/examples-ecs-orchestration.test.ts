import { apiRoutes } from '../../lambda-src/examples/ecs-orchestration/services/api';
import { readConfig } from '../../lambda-src/examples/ecs-orchestration/services/config';
import { emfLine } from '../../lambda-src/examples/ecs-orchestration/services/emf';
import { parseJob } from '../../lambda-src/examples/ecs-orchestration/services/job';
import { MinuteMeter } from '../../lambda-src/examples/ecs-orchestration/services/minute-meter';
import { webRoutes } from '../../lambda-src/examples/ecs-orchestration/services/web';
import { JobQueue, QueueMessage, QueueWorker } from '../../lambda-src/examples/ecs-orchestration/services/worker';

const T0 = Date.parse('2026-12-01T10:00:00Z');

function clock(start = T0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('ecs-orchestration: EMF documents', () => {
  test('a document names the lab namespace, the ServiceName dimension and every count as a Count metric', () => {
    const doc = JSON.parse(emfLine('web', T0, { Requests: 42, ApiErrors: 0 }));
    expect(doc).toEqual({
      _aws: {
        Timestamp: T0,
        CloudWatchMetrics: [{
          Namespace: 'EcsOrchestrationLab',
          Dimensions: [['ServiceName']],
          Metrics: [{ Name: 'Requests', Unit: 'Count' }, { Name: 'ApiErrors', Unit: 'Count' }],
        }],
      },
      ServiceName: 'web',
      Requests: 42,
      ApiErrors: 0,
    });
  });
});

describe('ecs-orchestration: minute meter', () => {
  test('one value per metric and minute, stamped with the minute start, zeros for idle minutes', () => {
    const c = clock(T0 + 10_000);
    const meter = new MinuteMeter(['Requests', 'ApiErrors'], c.now);
    meter.add('Requests');
    meter.add('Requests', 2);
    expect(meter.takeFinished()).toEqual([]);
    c.advance(60_000); // 10:01:10
    meter.add('ApiErrors');
    c.advance(125_000); // 10:03:15: minutes 10:01 and 10:02 have closed
    expect(meter.takeFinished()).toEqual([
      [T0, { Requests: 3, ApiErrors: 0 }],
      [T0 + 60_000, { Requests: 0, ApiErrors: 1 }],
      [T0 + 120_000, { Requests: 0, ApiErrors: 0 }],
    ]);
    expect(meter.takeFinished()).toEqual([]);
    expect(meter.msUntilNextWindow()).toBe(45_000);
  });

  test('at shutdown the partial minute is handed over too, and an unknown metric is refused', () => {
    const c = clock(T0 + 30_000);
    const meter = new MinuteMeter(['JobsProcessed'], c.now);
    meter.add('JobsProcessed', 4);
    expect(meter.takeAll()).toEqual([[T0, { JobsProcessed: 4 }]]);
    expect(() => meter.add('Typo')).toThrow('unknown metric Typo; the meter counts JobsProcessed');
  });
});

describe('ecs-orchestration: configuration', () => {
  test('each role reads what it needs', () => {
    expect(readConfig('web', { PORT: '8080', SERVICE_NAME: 'web', API_URL: 'http://api:8080/', APP_VERSION: 'v2', FAILURE_PERCENT: '20' }))
      .toEqual(expect.objectContaining({ role: 'web', port: 8080, apiUrl: 'http://api:8080', version: 'v2', failurePercent: 20 }));
    expect(readConfig('worker', { PORT: '8080', SERVICE_NAME: 'worker', QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/jobs' }))
      .toEqual(expect.objectContaining({ role: 'worker', queueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/jobs', version: 'v1', failurePercent: 0 }));
  });

  test('a bad environment fails the start with every problem named', () => {
    expect(() => readConfig('web', { PORT: '80a', SERVICE_NAME: 'Web', FAILURE_PERCENT: '150' })).toThrow(
      'invalid container configuration: PORT must be an integer between 1 and 65535, got "80a"; SERVICE_NAME must be a DNS label, got "Web"; '
      + 'FAILURE_PERCENT must be a number between 0 and 100, got "150"; API_URL is required for the web role',
    );
    expect(() => readConfig('worker', { PORT: '8080', SERVICE_NAME: 'worker', QUEUE_URL: 'jobs' })).toThrow('QUEUE_URL must be an http(s) URL, got "jobs"');
  });
});

describe('ecs-orchestration: web service', () => {
  function web(answer: () => Promise<{ status: number; body: unknown }>, failurePercent = 0, random = () => 0.5) {
    const meter = new MinuteMeter(['Requests', 'ApiErrors'], clock().now);
    const called: string[] = [];
    const routes = webRoutes({
      serviceName: 'web',
      version: 'v1',
      failurePercent,
      apiUrl: 'http://api:8080',
      workerUrl: 'http://worker:8080',
      meter,
      random,
      fetchJson: async (url) => {
        called.push(url);
        return answer();
      },
    });
    return { routes, meter, called };
  }

  test('the page carries the catalog it got from the api by its mesh name; requests are counted, health checks are not', async () => {
    const { routes, meter, called } = web(async () => ({ status: 200, body: { items: [1], version: 'v1' } }));
    expect(await routes('GET', '/health')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await routes('GET', '/')).toEqual({ status: 200, body: { service: 'web', version: 'v1', catalog: { items: [1], version: 'v1' }, degraded: false } });
    expect(await routes('GET', '/nope')).toEqual({ status: 404, body: { error: 'not found' } });
    expect(called).toEqual(['http://api:8080/catalog']);
    expect(meter.takeAll()).toEqual([[T0, { Requests: 2, ApiErrors: 0 }]]);
  });

  test('an api error or outage degrades the page and counts an ApiError', async () => {
    const failing = web(async () => ({ status: 503, body: { error: 'injected failure' } }));
    expect((await failing.routes('GET', '/')).body).toEqual({ service: 'web', version: 'v1', catalog: null, degraded: true });
    const down = web(async () => {
      throw new Error('ECONNREFUSED');
    });
    expect((await down.routes('GET', '/')).status).toBe(200);
    expect(failing.meter.takeAll()[0][1]).toEqual({ Requests: 1, ApiErrors: 1 });
    expect(down.meter.takeAll()[0][1]).toEqual({ Requests: 1, ApiErrors: 1 });
  });

  test('FAILURE_PERCENT turns that share of requests into 500s (how the guide fakes a bad canary)', async () => {
    const draws = [0.1, 0.3];
    const { routes } = web(async () => ({ status: 200, body: {} }), 20, () => draws.shift()!);
    expect((await routes('GET', '/')).status).toBe(500);
    expect((await routes('GET', '/')).status).toBe(200);
    expect((await routes('GET', '/health')).status).toBe(200);
  });

  test('/worker shows the worker\'s counters, and 502 when it does not answer', async () => {
    const ok = web(async () => ({ status: 200, body: { processed: 3 } }));
    expect(await ok.routes('GET', '/worker')).toEqual({ status: 200, body: { service: 'web', worker: { processed: 3 } } });
    expect(ok.called).toEqual(['http://worker:8080/stats']);
    const down = web(async () => {
      throw new Error('timeout');
    });
    expect((await down.routes('GET', '/worker')).status).toBe(502);
  });
});

describe('ecs-orchestration: api service', () => {
  test('answers the catalog with its version and task; injected failures answer 503', async () => {
    const draws = [0.9, 0.05];
    const routes = apiRoutes({ serviceName: 'api', version: 'v2', failurePercent: 10, taskName: 'ip-10-0-1-2', random: () => draws.shift()! });
    const ok = await routes('GET', '/catalog');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual(expect.objectContaining({ service: 'api', version: 'v2', servedBy: 'ip-10-0-1-2', items: expect.arrayContaining([expect.objectContaining({ sku: 'tea-001' })]) }));
    expect(await routes('GET', '/catalog')).toEqual({ status: 503, body: { error: 'injected failure', service: 'api', version: 'v2' } });
    expect((await routes('POST', '/catalog')).status).toBe(405);
  });
});

describe('ecs-orchestration: jobs', () => {
  test('a job has an id and a bounded amount of work; anything else is poison with the reason', () => {
    expect(parseJob('{"jobId":"job-1","workMs":1500}', 20_000)).toEqual({ jobId: 'job-1', workMs: 1500 });
    expect(parseJob('{"jobId":"job-2"}', 20_000)).toEqual({ jobId: 'job-2', workMs: 1000 });
    expect(parseJob('not json', 20_000)).toEqual({ error: 'the body is not JSON' });
    expect(parseJob('[1]', 20_000)).toEqual({ error: 'the body must be a JSON object with jobId and workMs' });
    expect(parseJob('{"jobId":"../x","workMs":99999}', 20_000)).toEqual({
      error: 'jobId must be 1-64 letters, digits, \'-\' or \'_\', got "../x"; workMs must be an integer between 0 and 20000, got 99999',
    });
  });
});

describe('ecs-orchestration: queue worker', () => {
  function message(body: string, n: number): QueueMessage {
    return { messageId: `m-${n}`, receiptHandle: `r-${n}`, body, receiveCount: 1 };
  }

  function harness(batches: Array<QueueMessage[] | Error>, onRemove: (worker: QueueWorker) => void = () => {}) {
    const removed: string[] = [];
    const released: string[][] = [];
    const slept: number[] = [];
    const logs: Array<[string, string, Record<string, unknown>]> = [];
    const c = clock();
    let worker: QueueWorker;
    const queue: JobQueue = {
      receive: async () => {
        const next = batches.shift();
        if (next === undefined) {
          worker.stop();
          return [];
        }
        if (next instanceof Error) throw next;
        return next;
      },
      remove: async (m) => {
        onRemove(worker);
        removed.push(m.messageId);
      },
      release: async (ms) => {
        released.push(ms.map((m) => m.messageId));
      },
    };
    const meter = new MinuteMeter(['JobsProcessed', 'JobFailures'], c.now);
    worker = new QueueWorker({
      queue,
      meter,
      maxJobWorkMs: 20_000,
      now: c.now,
      sleep: async (ms) => {
        slept.push(ms);
      },
      log: (level, msg, fields = {}) => logs.push([level, msg, fields]),
    });
    return { worker: () => worker, removed, released, slept, logs, meter };
  }

  test('works and deletes each job; a poison message is left for the DLQ without blocking the rest', async () => {
    const h = harness([[message('{"jobId":"a","workMs":200}', 1), message('garbage', 2), message('{"jobId":"b","workMs":0}', 3)]]);
    await h.worker().run();
    expect(h.removed).toEqual(['m-1', 'm-3']);
    expect(h.slept).toEqual([200, 0]);
    expect(h.worker().stats).toEqual(expect.objectContaining({ processed: 2, poison: 1, receiveErrors: 0 }));
    expect(h.logs.filter(([, msg]) => msg === 'job done').map(([, , f]) => f.jobId)).toEqual(['a', 'b']);
    expect(h.logs).toContainEqual(['warn', 'poison message left for the dead-letter queue', { messageId: 'm-2', receiveCount: 1, reason: 'the body is not JSON' }]);
    expect(h.meter.takeAll()[0][1]).toEqual({ JobsProcessed: 2, JobFailures: 1 });
  });

  test('a receive error is logged and retried after a pause', async () => {
    const h = harness([new Error('throttled'), [message('{"jobId":"a","workMs":1}', 1)]]);
    await h.worker().run();
    expect(h.slept).toEqual([5000, 1]);
    expect(h.worker().stats.receiveErrors).toBe(1);
    expect(h.removed).toEqual(['m-1']);
  });

  test('stop() during a batch finishes the job in hand and releases the rest at once', async () => {
    const batch = [1, 2, 3].map((n) => message(`{"jobId":"j${n}","workMs":100}`, n));
    // The SIGTERM arrives while the first job is being deleted.
    const h = harness([batch], (worker) => worker.stop());
    await h.worker().run();
    expect(h.removed).toEqual(['m-1']);
    expect(h.released).toEqual([['m-2', 'm-3']]);
  });
});
