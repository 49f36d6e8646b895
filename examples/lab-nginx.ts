import * as path from 'node:path';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { MeshedFargateServiceProps } from '../src';

/**
 * The labs' stand-in services run nginx (the unprivileged image, with /tmp declared as a
 * volume: examples/lab-nginx-image) with a configuration passed in the environment, so a
 * lab needs no application build. nginx runs as an unprivileged user on a read-only root
 * filesystem: the whole configuration, its pid file and its temporary files live in /tmp.
 * Each configuration answers /health for the container and target-group health checks.
 * Service Connect resolves the client aliases (user:8080, data-service:8080, ...) inside
 * every task of the namespace, so a service can proxy to its peers by name.
 */
export const SERVICE_PORT = 8080;

/** The image's own unprivileged user (uid/gid 101), which may also read its configuration. */
export const NGINX_USER = '101:101';

/** Writes $NGINX_CONF to the writable /tmp and runs nginx on it in the foreground. */
export const NGINX_BOOT = 'printf \'%s\\n\' "$NGINX_CONF" > /tmp/nginx.conf && exec nginx -c /tmp/nginx.conf';

/** The nginx image (ARM64), built from examples/lab-nginx-image at deploy time; `cdk synth` only stages it. */
export function labNginxImage(): ecs.ContainerImage {
  return ecs.ContainerImage.fromAsset(path.join(__dirname, 'lab-nginx-image'), { platform: ecrAssets.Platform.LINUX_ARM64 });
}

/** What makes a MeshedFargateService run the nginx configuration `conf` on the lab image: user, port, boot command and the /health check. */
export function nginxServiceProps(image: ecs.ContainerImage, conf: string):
Pick<MeshedFargateServiceProps, 'image' | 'user' | 'port' | 'entryPoint' | 'command' | 'environment' | 'healthCheck'> {
  return {
    image,
    user: NGINX_USER,
    port: SERVICE_PORT,
    entryPoint: ['/bin/sh', '-c'],
    command: [NGINX_BOOT],
    environment: { NGINX_CONF: conf },
    healthCheck: { path: '/health' },
  };
}

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

/** A server on SERVICE_PORT answering /health, `locations`, and 404 for anything else. */
export function nginxServer(locations: string): string {
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
