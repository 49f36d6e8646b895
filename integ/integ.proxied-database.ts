import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { bundledCode } from '../examples/bundled-code';
import { HandlerFunction, ProxiedDatabase } from '../src';

// Deploys ProxiedDatabase in isolated subnets with the example db-query handler twice: an
// administrator function signed in as the master user creates the table and the
// application user notes_app from its secret; the application function, signed in as
// notes_app, inserts a note in a transaction and reads it back. Passing means IAM token
// auth over TLS through RDS Proxy works end to end for a user with data privileges only.
// multiAz is off here only to halve the cost and create time of the test; failover is not
// what it checks.
const app = new App();
const stack = new Stack(app, 'ProxiedDatabaseInteg');

const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
});
const isolated = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
// Rotation functions reach Secrets Manager, the administrator reads the user's secret through Parameter Store.
const secretsManagerEndpoint = vpc.addInterfaceEndpoint('SecretsManager', { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER });
vpc.addInterfaceEndpoint('Ssm', { service: ec2.InterfaceVpcEndpointAwsService.SSM });

// The application's own MySQL user: RDS Proxy signs in with this secret.
const appUser = new rds.DatabaseSecret(stack, 'NotesAppUser', { username: 'notes_app' });
const db = new ProxiedDatabase(stack, 'Notes', {
  vpc,
  databaseName: 'notes',
  multiAz: false,
  proxy: { userSecrets: [appUser] },
  removalPolicy: RemovalPolicy.DESTROY,
});
// The user exists only after the administrator's setup: rotate from then on, not at deploy time.
new secretsmanager.SecretRotation(stack, 'NotesAppUserRotation', {
  application: secretsmanager.SecretRotationApplication.MYSQL_ROTATION_SINGLE_USER,
  secret: appUser,
  target: db.instance,
  vpc,
  vpcSubnets: isolated,
  endpoint: secretsManagerEndpoint,
  automaticallyAfter: Duration.days(30),
  rotateImmediatelyOnUpdate: false,
});

const dbQuery = (id: string, description: string, user: string) => {
  const fn = new HandlerFunction(stack, id, {
    code: bundledCode('db-query'),
    codeName: 'db-query',
    description,
    vpc,
    vpcSubnets: isolated,
    environment: db.connectionEnvironment(user),
    timeout: Duration.seconds(15),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  db.grantConnect(fn.function, user);
  return fn;
};
const admin = dbQuery('Admin', 'Schema and application users of the notes database, as the master user (db-query example)', db.masterUsername);
appUser.grantRead(admin.role);
admin.role.addToPrincipalPolicy(new iam.PolicyStatement({
  actions: ['ssm:GetParameter'],
  resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `aws/reference/secretsmanager/${appUser.secretName}` })],
}));
const query = dbQuery('Query', 'Example data-access handler on the db-query runtime, as the application user notes_app', 'notes_app');

const integ = new IntegTest(app, 'ProxiedDatabaseTest', { testCases: [stack] });

const invoke = (fn: HandlerFunction, event: object) =>
  integ.assertions.invokeFunction({ functionName: fn.function.functionName, payload: JSON.stringify(event) });

// The proxy registers its target some minutes after the stack completes: retry setup until it answers.
const setup = invoke(admin, { action: 'setup', applicationUser: { name: 'notes_app', secretName: appUser.secretName } });
setup.expect(ExpectedResult.objectLike({ StatusCode: 200, Payload: Match.serializedJson({ ok: true, applicationUser: 'notes_app' }) }))
  .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) });

const put = invoke(query, { action: 'put', body: 'hello through the proxy; \' " -- ?' });
put.expect(ExpectedResult.objectLike({
  StatusCode: 200,
  Payload: Match.serializedJson(Match.objectLike({ note: Match.objectLike({ body: 'hello through the proxy; \' " -- ?' }) })),
}));

const list = invoke(query, { action: 'list', limit: 5 });
list.expect(ExpectedResult.objectLike({
  StatusCode: 200,
  Payload: Match.serializedJson({ notes: [Match.objectLike({ body: 'hello through the proxy; \' " -- ?' })] }),
}));

setup.next(put).next(list);

app.synth();
