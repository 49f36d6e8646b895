import * as path from 'node:path';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Deployment, MeshedFargateService, ServiceMesh } from '../src/mesh';

// Two nginx services in one Service Connect mesh. Only the storefront has a load balancer;
// it proxies every request to http://inventory:8080, the inventory's client alias, adding an
// X-Via header. Inventory answers JSON naming itself and echoing that header, and its security
// group admits only the storefront. A 200 with both names therefore proves the call crossed the
// mesh: ALB -> storefront -> Service Connect proxy -> inventory. Both run with the construct's
// hardened defaults: unprivileged nginx (images/nginx-unprivileged: /tmp declared as a volume)
// on a read-only root filesystem, writing its whole configuration, pid and temp files to /tmp.
const NGINX = ecs.ContainerImage.fromAsset(path.join(__dirname, 'images', 'nginx-unprivileged'));
const NGINX_USER = '101:101';
const WRITE_CONFIG_AND_RUN = ['printf "%s" "$NGINX_CONF" > /tmp/nginx.conf && exec nginx -c /tmp/nginx.conf'];

/** A complete nginx.conf: everything nginx writes goes to /tmp. */
const nginxConf = (server: string) => `daemon off;
pid /tmp/nginx.pid;
events {}
http {
  client_body_temp_path /tmp/client_temp;
  proxy_temp_path /tmp/proxy_temp;
  fastcgi_temp_path /tmp/fastcgi_temp;
  uwsgi_temp_path /tmp/uwsgi_temp;
  scgi_temp_path /tmp/scgi_temp;
${server}
}`;

const INVENTORY_CONF = nginxConf(`server {
  listen 8080;
  location = /health { return 200 'ok'; }
  location / {
    default_type application/json;
    return 200 '{"answeredBy":"inventory","calledBy":"$http_x_via"}';
  }
}`);

const STOREFRONT_CONF = nginxConf(`server {
  listen 8080;
  location = /health { return 200 'ok'; }
  location / {
    proxy_set_header X-Via storefront;
    proxy_pass http://inventory:8080;
  }
}`);

const app = new App();
const stack = new Stack(app, 'MeshedFargateServiceInteg');
// The default layout, spelled out to keep the logical ids, with no automatic public IPs:
// only the ALB and the NAT gateway (own Elastic IP) live in the public subnets.
const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 1,
  subnetConfiguration: [
    { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
    { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
  ],
});
const mesh = new ServiceMesh(stack, 'Mesh', { vpc, namespaceName: 'integ-shop.local', removalPolicy: RemovalPolicy.DESTROY });

const inventory = new MeshedFargateService(stack, 'Inventory', {
  mesh,
  serviceName: 'inventory',
  image: NGINX,
  user: NGINX_USER,
  port: 8080,
  healthCheck: { path: '/health' },
  entryPoint: ['/bin/sh', '-c'],
  command: WRITE_CONFIG_AND_RUN,
  environment: { NGINX_CONF: INVENTORY_CONF },
  autoscaling: { minCapacity: 1, maxCapacity: 2, cpuTarget: 70 },
});

const storefront = new MeshedFargateService(stack, 'Storefront', {
  mesh,
  serviceName: 'storefront',
  image: NGINX,
  user: NGINX_USER,
  port: 8080,
  healthCheck: { path: '/health' },
  entryPoint: ['/bin/sh', '-c'],
  command: WRITE_CONFIG_AND_RUN,
  environment: { NGINX_CONF: STOREFRONT_CONF },
  publicLoadBalancer: true,
  deployment: Deployment.canary({ percent: 20, bake: Duration.minutes(1) }),
  autoscaling: { minCapacity: 1, maxCapacity: 2, cpuTarget: 70, requestsPerTarget: 200 },
});
storefront.connectTo(inventory);

const integ = new IntegTest(app, 'MeshedFargateServiceTest', {
  testCases: [stack],
  diffAssets: false,
});

integ.assertions
  .httpApiCall(`http://${storefront.loadBalancer!.loadBalancerDnsName}/orders/42`)
  .expect(ExpectedResult.objectLike({
    status: 200,
    body: { answeredBy: 'inventory', calledBy: 'storefront' },
  }))
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(20) });

app.synth();
