import { Routes } from './http';

/** What the api role works with. */
export interface ApiDependencies {
  readonly serviceName: string;
  readonly version: string;
  readonly failurePercent: number;
  /** Names the task that answered (its hostname), to show load spreading over tasks. */
  readonly taskName: string;
  readonly random: () => number;
}

/** A small catalog: enough to show which revision and which task answered. */
const ITEMS = [
  { sku: 'tea-001', name: 'Green tea', priceCents: 450 },
  { sku: 'cof-002', name: 'Espresso beans', priceCents: 1290 },
  { sku: 'cup-003', name: 'Stoneware cup', priceCents: 980 },
];

/** The internal api service: `/catalog`, reached only through the mesh (`http://api:8080`). */
export function apiRoutes(d: ApiDependencies): Routes {
  return async (method, path) => {
    if (path === '/health') return { status: 200, body: { status: 'ok' } };
    if (method !== 'GET') return { status: 405, body: { error: 'only GET is served' } };
    if (path !== '/catalog') return { status: 404, body: { error: 'not found' } };
    if (d.random() * 100 < d.failurePercent) {
      return { status: 503, body: { error: 'injected failure', service: d.serviceName, version: d.version } };
    }
    return { status: 200, body: { items: ITEMS, service: d.serviceName, version: d.version, servedBy: d.taskName } };
  };
}
