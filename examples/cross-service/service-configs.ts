/**
 * The four lab services run nginx (the unprivileged image, with /tmp declared as a volume:
 * examples/cross-service/image) with a configuration passed in the environment, so the lab
 * needs no application build. nginx runs as an unprivileged user on a read-only root
 * filesystem: the whole configuration, its pid file and its temporary files live in /tmp.
 * Each configuration answers /health for the container and target-group health checks.
 * Service Connect resolves the client aliases (user:8080, inventory:8080, ...) inside every
 * task of the namespace, so the order service can proxy to its peers by name.
 */
export const SERVICE_PORT = 8080;

/** The image's own unprivileged user (uid/gid 101), which may also read its configuration. */
export const NGINX_USER = '101:101';

/** Writes $NGINX_CONF to the writable /tmp and runs nginx on it in the foreground. */
export const NGINX_BOOT = 'printf \'%s\\n\' "$NGINX_CONF" > /tmp/nginx.conf && exec nginx -c /tmp/nginx.conf';

/** A complete nginx.conf around one server block: nothing outside /tmp is written. */
export function nginxConf(serverBlock: string): string {
  return [
    'daemon off;',
    'worker_processes 1;',
    'pid /tmp/nginx.pid;',
    'error_log /dev/stderr warn;',
    'events { worker_connections 256; }',
    'http {',
    '  access_log /dev/stdout;',
    '  client_body_temp_path /tmp/client_temp;',
    '  proxy_temp_path /tmp/proxy_temp;',
    '  fastcgi_temp_path /tmp/fastcgi_temp;',
    '  uwsgi_temp_path /tmp/uwsgi_temp;',
    '  scgi_temp_path /tmp/scgi_temp;',
    serverBlock,
    '}',
  ].join('\n');
}

function server(locations: string): string {
  return nginxConf([
    'server {',
    `  listen ${SERVICE_PORT};`,
    '  default_type application/json;',
    '  location = /health { access_log off; return 200 \'{"status":"ok"}\'; }',
    locations,
    '  location / { return 404 \'{"error":"not found"}\'; }',
    '}',
  ].join('\n'));
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
