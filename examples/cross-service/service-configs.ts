/**
 * The cross-service lab's four services: nginx configurations (examples/lab-nginx.ts) that
 * answer each service's API, the order service proxying to its peers through the mesh.
 */
import { nginxServer as server, SERVICE_PORT } from '../lab-nginx';

/** GET /users/<id>: a made-up user. */
export const USER_SERVICE_CONF = server(
  '  location ~ ^/users/([A-Za-z0-9-]{1,64})$ { return 200 \'{"userId":"$1","name":"Lab user $1","source":"user"}\'; }',
);

/** GET /inventory/items/<sku>: 42 units of everything. */
export const INVENTORY_SERVICE_CONF = server(
  '  location ~ ^/inventory/items/([A-Za-z0-9-]{1,64})$ { return 200 \'{"sku":"$1","available":42,"source":"inventory"}\'; }',
);

/** GET /notifications/status: the notification service's own API (its work runs in the queue consumer). */
export const NOTIFICATION_SERVICE_CONF = server(
  '  location = /notifications/status { return 200 \'{"channel":"log","source":"notification"}\'; }',
);

/**
 * The order service is the lab's front door behind the public ALB: it proxies reads to its
 * peers through the mesh (POST /orders is routed by the ALB to the place-order function).
 * Errors of a peer, including "no healthy upstream" while inventory is down, pass through.
 */
export const ORDER_SERVICE_CONF = server([
  `  location /users/ { proxy_pass http://user:${SERVICE_PORT}; }`,
  `  location /inventory/ { proxy_pass http://inventory:${SERVICE_PORT}; proxy_connect_timeout 2s; proxy_read_timeout 5s; }`,
  `  location /notifications/ { proxy_pass http://notification:${SERVICE_PORT}; }`,
].join('\n'));
