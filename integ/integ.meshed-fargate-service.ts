import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Deployment, MeshedFargateService, ServiceMesh } from '../src/mesh';

// Two nginx services in one Service Connect mesh. Only the storefront has a load balancer;
// it proxies every request to http://inventory:8080, the inventory's client alias, adding an
// X-Via header. Inventory answers JSON naming itself and echoing that header, and its security
// group admits only the storefront. A 200 with both names therefore proves the call crossed the
// mesh: ALB -> storefront -> Service Connect proxy -> inventory.
const NGINX = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/nginx:1.27-alpine');
const WRITE_CONFIG_AND_RUN = ['printf "%s" "$NGINX_CONF" > /etc/nginx/conf.d/default.conf && exec nginx -g "daemon off;"'];

const INVENTORY_CONF = `server {
  listen 8080;
  location = /health { return 200 'ok'; }
  location / {
    default_type application/json;
    return 200 '{"answeredBy":"inventory","calledBy":"$http_x_via"}';
  }
}`;

const STOREFRONT_CONF = `server {
  listen 8080;
  location = /health { return 200 'ok'; }
  location / {
    proxy_set_header X-Via storefront;
    proxy_pass http://inventory:8080;
  }
}`;

const app = new App();
const stack = new Stack(app, 'MeshedFargateServiceInteg');
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
const mesh = new ServiceMesh(stack, 'Mesh', { vpc, namespaceName: 'integ-shop.local', removalPolicy: RemovalPolicy.DESTROY });

const inventory = new MeshedFargateService(stack, 'Inventory', {
  mesh,
  serviceName: 'inventory',
  image: NGINX,
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
