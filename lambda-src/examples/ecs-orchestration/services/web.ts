import { FetchedJson, Reply, Routes } from './http';
import { MinuteMeter } from './minute-meter';
import { API_ERRORS_METRIC, WEB_REQUESTS_METRIC } from '../../../../examples/ecs-orchestration/service-settings';

/** What the web role works with. */
export interface WebDependencies {
  readonly serviceName: string;
  readonly version: string;
  readonly failurePercent: number;
  /** Base URL of the api service, its Service Connect alias (`http://api:8080`). */
  readonly apiUrl: string;
  /** Base URL of the worker service, when it is called. */
  readonly workerUrl?: string;
  readonly meter: MinuteMeter;
  readonly fetchJson: (url: string) => Promise<FetchedJson>;
  readonly random: () => number;
}

/**
 * The public web service behind the ALB. `/` answers with the catalog it asks the api
 * service for by its mesh name, `/worker` with the worker's counters; every request but
 * the health check counts toward the per-task request metric the service scales on. When
 * the api fails, the page degrades (catalog null) and the failure is counted, so a bad api
 * revision shows up as ApiErrors, which rolls the api deployment back.
 */
export function webRoutes(d: WebDependencies): Routes {
  return async (method, path) => {
    if (path === '/health') return { status: 200, body: { status: 'ok' } };
    d.meter.add(WEB_REQUESTS_METRIC);
    if (method !== 'GET') return { status: 405, body: { error: 'only GET is served' } };
    if (d.random() * 100 < d.failurePercent) {
      return { status: 500, body: { error: 'injected failure', service: d.serviceName, version: d.version } };
    }
    if (path === '/') return page(d);
    if (path === '/worker' && d.workerUrl) return workerStats(d, d.workerUrl);
    return { status: 404, body: { error: 'not found' } };
  };
}

async function page(d: WebDependencies): Promise<Reply> {
  let catalog: unknown = null;
  try {
    const answer = await d.fetchJson(`${d.apiUrl}/catalog`);
    if (answer.status === 200) catalog = answer.body;
  } catch {
    // Unreachable or timed out: counted below like an error answer.
  }
  if (catalog === null) d.meter.add(API_ERRORS_METRIC);
  return { status: 200, body: { service: d.serviceName, version: d.version, catalog, degraded: catalog === null } };
}

async function workerStats(d: WebDependencies, workerUrl: string): Promise<Reply> {
  try {
    const answer = await d.fetchJson(`${workerUrl}/stats`);
    return { status: answer.status === 200 ? 200 : 502, body: { service: d.serviceName, worker: answer.body } };
  } catch {
    return { status: 502, body: { service: d.serviceName, worker: null, error: 'the worker did not answer' } };
  }
}
