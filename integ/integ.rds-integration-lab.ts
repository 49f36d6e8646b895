import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';
import { bundledCode } from '../examples/bundled-code';
import { RdsIntegrationLabStack } from '../examples/rds-integration/rds-integration-lab-stack';
import { SIGNED_CLIENT_SETTINGS_VARIABLE, SignedClientSettings } from '../examples/rds-integration/signed-client-settings';
import { HandlerFunction } from '../src';

// Deploys RdsIntegrationLab as learners do (the schema migration runs as part of the
// deployment), then creates, reads, updates and deletes an item through the items API's
// IAM-authenticated function URL: each step is a SigV4-signed HTTPS request made by a
// test-only client function whose role may invoke that URL. An unsigned request must be
// refused with 403. Passing means function URL -> Lambda -> RDS Proxy (IAM token, TLS) ->
// MySQL works end to end as the least-privilege application user.
const app = new App();
const lab = new RdsIntegrationLabStack(app, 'RdsIntegrationLabInteg');

const clientSettings: SignedClientSettings = { url: lab.itemsApiUrl.url };
// The client lives outside the VPC: it calls the public function URL endpoint, signed.
const client = new HandlerFunction(lab, 'IntegSignedClient', {
  code: bundledCode('examples/rds-integration/signed-client'),
  codeName: 'examples/rds-integration/signed-client',
  description: 'Integ test only: SigV4-signed requests to the RDS lab items API function URL',
  timeout: Duration.seconds(30),
  encryptionKey: lab.encryptionKey,
  removalPolicy: RemovalPolicy.DESTROY,
  environment: { [SIGNED_CLIENT_SETTINGS_VARIABLE]: Stack.of(lab).toJsonString(clientSettings) },
});
lab.itemsApiFunction.grantInvokeUrl(client.function);
NagSuppressions.addResourceSuppressions(client.function, [
  { id: 'Serverless-LambdaDLQ', reason: 'Invoked only synchronously by the integ test assertions, which read its answer.' },
  { id: 'Serverless-LambdaAsyncFailureDestination', reason: 'Invoked only synchronously by the integ test assertions, which read its answer.' },
]);

const integ = new IntegTest(app, 'RdsIntegrationLabTest', { testCases: [lab] });

const NAME = 'integ widget; \' " -- ?';
const crud = integ.assertions.invokeFunction({
  functionName: client.function.functionName,
  payload: JSON.stringify({
    requests: [
      { method: 'POST', path: '/items', body: { name: NAME, description: 'created by the integ test', quantity: 3 } },
      { method: 'GET', path: '/items/{id}' },
      { method: 'PUT', path: '/items/{id}', body: { name: NAME, description: 'updated', quantity: 7, expectedVersion: 1 } },
      { method: 'PUT', path: '/items/{id}', body: { name: NAME, quantity: 0, expectedVersion: 1 } },
      { method: 'DELETE', path: '/items/{id}' },
      { method: 'GET', path: '/items/{id}' },
      { method: 'GET', path: '/whoami' },
    ],
  }),
});
crud.expect(ExpectedResult.objectLike({
  StatusCode: 200,
  Payload: Match.serializedJson([
    Match.objectLike({ method: 'POST', status: 201, body: { item: Match.objectLike({ name: NAME, quantity: 3, version: 1 }) } }),
    Match.objectLike({ method: 'GET', status: 200, body: { item: Match.objectLike({ name: NAME, description: 'created by the integ test' }) } }),
    Match.objectLike({ method: 'PUT', status: 200, body: { item: Match.objectLike({ description: 'updated', quantity: 7, version: 2 }) } }),
    Match.objectLike({ method: 'PUT', status: 409, body: Match.objectLike({ error: 'VERSION_CONFLICT', currentVersion: 2 }) }),
    Match.objectLike({ method: 'DELETE', status: 204 }),
    Match.objectLike({ method: 'GET', status: 404 }),
    Match.objectLike({ method: 'GET', path: '/whoami', status: 200, body: Match.objectLike({ currentUser: 'inventory_app@%' }) }),
  ]),
}));
// The first requests of a fresh deployment can meet cold ENIs and a warming proxy pool.
crud.waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(20) });

const unsigned = integ.assertions.httpApiCall(`${lab.itemsApiUrl.url}items`);
unsigned.expect(ExpectedResult.objectLike({ status: 403 }));

crud.next(unsigned);

app.synth();
