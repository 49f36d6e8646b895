/**
 * The four lab services run the public nginx image with a configuration passed in the
 * environment, so the lab needs no image build (no Docker here or on the learner's side).
 * Each configuration answers /health for the container and target-group health checks.
 * Service Connect resolves the client aliases (user:8080, inventory:8080, ...) inside every
 * task of the namespace, so the order service can proxy to its peers by name.
 */
export const SERVICE_PORT = 8080;

/** Writes $NGINX_CONF as the only server block and runs nginx in the foreground. */
export const NGINX_BOOT = 'printf \'%s\\n\' "$NGINX_CONF" > /etc/nginx/conf.d/default.conf && exec nginx -g \'daemon off;\'';

function server(locations: string): string {
  return [
    'server {',
    `  listen ${SERVICE_PORT};`,
    '  default_type application/json;',
    '  location = /health { access_log off; return 200 \'{"status":"ok"}\'; }',
    locations,
    '  location / { return 404 \'{"error":"not found"}\'; }',
    '}',
  ].join('\n');
}

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
