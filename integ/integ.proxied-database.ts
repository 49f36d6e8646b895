import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { bundledCode } from '../examples/bundled-code';
import { HandlerFunction, ProxiedDatabase } from '../src';

// Deploys ProxiedDatabase in isolated subnets with the example db-query handler, then
// drives the handler through the proxy: create a table, insert a note in a transaction
// and read it back. Passing means IAM token auth over TLS through RDS Proxy works end to
// end. multiAz is off here only to halve the cost and create time of the test; failover
// is not what it checks.
const app = new App();
const stack = new Stack(app, 'ProxiedDatabaseInteg');

const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
});
// The rotation function runs in the isolated subnets and needs a path to Secrets Manager.
vpc.addInterfaceEndpoint('SecretsManager', { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER });

const db = new ProxiedDatabase(stack, 'Notes', {
  vpc,
  databaseName: 'notes',
  multiAz: false,
  removalPolicy: RemovalPolicy.DESTROY,
});

const query = new HandlerFunction(stack, 'Query', {
  code: bundledCode('db-query'),
  codeName: 'db-query',
  description: 'Example data-access handler on the db-query runtime (RDS Proxy, IAM auth)',
  vpc,
  vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  environment: db.connectionEnvironment(db.masterUsername),
  timeout: Duration.seconds(15),
  removalPolicy: RemovalPolicy.DESTROY,
});
db.grantConnect(query.function, db.masterUsername);

const integ = new IntegTest(app, 'ProxiedDatabaseTest', { testCases: [stack] });

const invoke = (event: object) => integ.assertions.invokeFunction({ functionName: query.function.functionName, payload: JSON.stringify(event) });

// The proxy registers its target some minutes after the stack completes: retry setup until it answers.
const setup = invoke({ action: 'setup' });
setup.expect(ExpectedResult.objectLike({ StatusCode: 200, Payload: Match.serializedJson({ ok: true }) }))
  .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) });

const put = invoke({ action: 'put', body: 'hello through the proxy; \' " -- ?' });
put.expect(ExpectedResult.objectLike({
  StatusCode: 200,
  Payload: Match.serializedJson(Match.objectLike({ note: Match.objectLike({ body: 'hello through the proxy; \' " -- ?' }) })),
}));

const list = invoke({ action: 'list', limit: 5 });
list.expect(ExpectedResult.objectLike({
  StatusCode: 200,
  Payload: Match.serializedJson({ notes: [Match.objectLike({ body: 'hello through the proxy; \' " -- ?' })] }),
}));

setup.next(put).next(list);

app.synth();
