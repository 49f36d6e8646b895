/**
 * The platform's three mesh services as nginx configurations (examples/lab-nginx.ts): they
 * show discovery, routing, timeouts, TLS and deployments, not business logic. device-service
 * is the front door behind the public ALB and reaches its peers by their Service Connect
 * aliases; device-service-b is the same API answering `variant: "b"` for the A/B route.
 */
import { nginxServer, SERVICE_PORT } from '../lab-nginx';

/** Bumped by the guide's canary exercise (`-c deviceServiceVersion=v2`). */
export const DEFAULT_DEVICE_SERVICE_VERSION = 'v1';

const proxyTo = (prefix: string, alias: string) =>
  `  location ${prefix} { proxy_pass http://${alias}:${SERVICE_PORT}; proxy_connect_timeout 2s; proxy_read_timeout 5s; }`;

/** GET /v1/devices/<id>/status (connectivity of a device), and /data/, /analytics/ through the mesh. */
export function deviceServiceConf(variant: 'a' | 'b', version: string): string {
  if (!/^[A-Za-z0-9.-]{1,32}$/.test(version)) throw new Error(`device-service version must match ^[A-Za-z0-9.-]{1,32}$, got ${JSON.stringify(version)}`);
  return nginxServer([
    '  location ~ ^/v1/devices/([A-Za-z0-9_-]{1,64})/status$ { ' +
      `return 200 '{"deviceId":"$1","connectivity":"online","variant":"${variant}","version":"${version}","source":"device-service"}'; }`,
    proxyTo('/data/', 'data-service'),
    proxyTo('/analytics/', 'analytics-service'),
  ].join('\n'));
}

/** GET /data/ingest-stats, and /analytics/ through the mesh. */
export const DATA_SERVICE_CONF = nginxServer([
  '  location = /data/ingest-stats { return 200 \'{"streams":1,"source":"data-service"}\'; }',
  proxyTo('/analytics/', 'analytics-service'),
].join('\n'));

/** GET /analytics/summary. */
export const ANALYTICS_SERVICE_CONF = nginxServer(
  '  location = /analytics/summary { return 200 \'{"window":"1h","source":"analytics-service"}\'; }',
);
