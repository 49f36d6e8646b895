import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import { CrossServiceLabStack } from '../examples/cross-service/cross-service-lab-stack';

// Deploys the whole cross-service lab and walks its story end to end:
//  1. an order placed through the public ALB is confirmed by the inventory service
//     (through the breaker, the ALB, the order service and the mesh);
//  2. the order.created event reaches both consumers: the inventory consumer reserves
//     stock (a Reservations item) and the notification consumer logs the notification;
//  3. the inventory service is scaled to zero (the guide's outage script does the same)
//     and the breaker then answers with its fallback.
const app = new App();
const stack = new CrossServiceLabStack(app, 'CrossServiceLabInteg');
const integ = new IntegTest(app, 'CrossServiceLabTest', { testCases: [stack] });
const { assertions } = integ;

const orderUrl = `http://${stack.orderService.loadBalancer!.loadBalancerDnsName}`;
const cluster = stack.mesh.cluster.clusterName;
const inventoryService = stack.inventoryService.service.serviceName;
const settle = { totalTimeout: Duration.minutes(10), interval: Duration.seconds(15) };

const placeOrder = assertions.httpApiCall(`${orderUrl}/orders`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ userId: 'integ-user', sku: 'integ-sku', quantity: 1 }),
});
placeOrder.expect(ExpectedResult.objectLike({
  status: 201,
  body: Match.objectLike({ eventType: 'order.created', status: 'CONFIRMED', inventorySource: 'inventory' }),
})).waitForAssertions(settle);

const reservation = assertions.awsApiCall('DynamoDB', 'scan', { TableName: stack.reservations.tableName, Select: 'COUNT' });
reservation.expect(ExpectedResult.objectLike({ Count: 1 })).waitForAssertions(settle);

const notification = assertions.awsApiCall('CloudWatchLogs', 'filterLogEvents', {
  logGroupName: stack.notificationConsumer.logGroup.logGroupName,
  filterPattern: '"notification sent"',
});
notification.expect(ExpectedResult.objectLike({
  events: Match.arrayWith([Match.objectLike({ message: Match.stringLikeRegexp('integ-user') })]),
})).waitForAssertions(settle);
notification.provider.addToRolePolicy({ Effect: 'Allow', Action: ['logs:FilterLogEvents'], Resource: ['*'] });

// The outage: auto scaling bounds first (it would restore the minimum), then the service.
const bounds = assertions.awsApiCall('ApplicationAutoScaling', 'registerScalableTarget', {
  ServiceNamespace: 'ecs',
  ScalableDimension: 'ecs:service:DesiredCount',
  ResourceId: `service/${cluster}/${inventoryService}`,
  MinCapacity: 0,
  MaxCapacity: 0,
});
bounds.provider.addToRolePolicy({
  Effect: 'Allow',
  Action: ['application-autoscaling:RegisterScalableTarget', 'ecs:DescribeServices', 'ecs:UpdateService', 'cloudwatch:DescribeAlarms', 'cloudwatch:PutMetricAlarm'],
  Resource: ['*'],
});
const scaleToZero = assertions.awsApiCall('ECS', 'updateService', { cluster, service: inventoryService, desiredCount: 0 });
const stopped = assertions.awsApiCall('ECS', 'describeServices', { cluster, services: [inventoryService] });
stopped.expect(ExpectedResult.objectLike({ services: Match.arrayWith([Match.objectLike({ runningCount: 0 })]) })).waitForAssertions(settle);

// Repeated inventory lookups fail at the order service, the circuit opens, the fallback answers.
const lookup = assertions.invokeFunction({
  functionName: stack.inventoryBreaker.function.functionName,
  payload: JSON.stringify({ httpMethod: 'GET', path: '/inventory/items/integ-sku', headers: {} }),
});
lookup.expect(ExpectedResult.objectLike({
  Payload: Match.serializedJson(Match.objectLike({ statusCode: 200, body: Match.stringLikeRegexp('"source":"fallback"') })),
})).waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(5) });

placeOrder.next(reservation).next(notification).next(bounds).next(scaleToZero).next(stopped).next(lookup);


app.synth();
