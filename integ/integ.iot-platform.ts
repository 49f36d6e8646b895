import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import { IotPlatformStack } from '../examples/iot-platform/iot-platform-stack';

// Deploys IotPlatform with its opt-ins off and walks the guide's first exercises through the
// public endpoints, as a device and two tenants' operators would:
//   two operators (tenant-a, tenant-b) are created in the stack's user pool and sign in with
//   the operator app client; once the REST API answers, tenant-a registers a device over
//   REST v1 (201 with the device's one-time credentials); the device signs in with the
//   device app client and POSTs a reading to the HTTP API (straight into Kinesis); the
//   reading is read back through REST v1 once the consumer wrote it; tenant-b asking for the
//   same device gets 404; v2 answers the nested shape; device-service reaches
//   analytics-service through the mesh (Service Connect alias).
// The HTTP API's JWT authorizer fetches the pool's real keys, so tokens come from Cognito
// itself. The operators' password is fixed so the snapshot is stable; the users exist only
// as long as this throwaway stack.
const app = new App();
const lab = new IotPlatformStack(app, 'IotPlatformInteg');
const integ = new IntegTest(app, 'IotPlatformTest', { testCases: [lab], diffAssets: false });
const poolId = lab.identity.userPool.userPoolId;
const OPERATOR_PASSWORD = 'Integ-Operator-1!';

/** Creates an operator of `tenant` with a permanent password and returns its ID token. */
function operatorToken(tenant: string): string {
  const username = `integ-operator-${tenant}`;
  const create = integ.assertions.awsApiCall('CognitoIdentityProvider', 'adminCreateUser', {
    UserPoolId: poolId,
    Username: username,
    MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'custom:tenant_id', Value: tenant }],
  });
  const password = integ.assertions.awsApiCall('CognitoIdentityProvider', 'adminSetUserPassword', {
    UserPoolId: poolId, Username: username, Password: OPERATOR_PASSWORD, Permanent: true,
  });
  const login = integ.assertions.awsApiCall('CognitoIdentityProvider', 'adminInitiateAuth', {
    UserPoolId: poolId,
    ClientId: lab.identity.operatorClient.userPoolClientId,
    AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: username, PASSWORD: OPERATOR_PASSWORD },
  }, ['AuthenticationResult.IdToken']);
  create.next(password).next(login);
  return login.getAttString('AuthenticationResult.IdToken');
}

const tenantA = `Bearer ${operatorToken('tenant-a')}`;
const tenantB = `Bearer ${operatorToken('tenant-b')}`;
const rest = (path: string) => lab.deviceApi.api.restApi.urlForPath(path);
const json = { 'Content-Type': 'application/json' };

// A fresh deployment takes a moment to serve: a read is polled until the API answers, so
// the registration below is sent once (a repeated POST would find the device taken: 409).
const ready = integ.assertions.httpApiCall(rest('/v2/devices'), { headers: { Authorization: tenantA } });
ready.expect(ExpectedResult.objectLike({ status: 200 }));
ready.waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) });

const register = integ.assertions.httpApiCall(rest('/v1/devices'), {
  method: 'POST', headers: { ...json, Authorization: tenantA }, body: JSON.stringify({ deviceId: 'integ-sensor-1', name: 'Integ sensor' }),
});
register.expect(ExpectedResult.objectLike({
  status: 201,
  body: { deviceId: 'integ-sensor-1', tenantId: 'tenant-a', status: 'active', credentials: { username: 'tenant-a.integ-sensor-1' } },
}));

const deviceLogin = integ.assertions.awsApiCall('CognitoIdentityProvider', 'adminInitiateAuth', {
  UserPoolId: poolId,
  ClientId: lab.identity.deviceClient.userPoolClientId,
  AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
  AuthParameters: { USERNAME: register.getAttString('body.credentials.username'), PASSWORD: register.getAttString('body.credentials.password') },
}, ['AuthenticationResult.IdToken']);

const telemetry = integ.assertions.httpApiCall(`${lab.ingest.stage.url}telemetry`, {
  method: 'POST',
  headers: { ...json, Authorization: `Bearer ${deviceLogin.getAttString('AuthenticationResult.IdToken')}` },
  body: JSON.stringify({ readings: [{ ts: '2026-12-04T10:00:00Z', metric: 'temperature', value: 21.5 }] }),
});
telemetry.expect(ExpectedResult.objectLike({ status: 200, body: { SequenceNumber: Match.stringLikeRegexp('^[0-9]+$') } }));

// The consumer reads the stream within seconds; the reading appears under tenant-a's device.
const readings = integ.assertions.httpApiCall(rest('/v1/devices/integ-sensor-1/readings'), { headers: { Authorization: tenantA } });
readings.expect(ExpectedResult.objectLike({ status: 200, body: { readings: [{ metric: 'temperature', value: 21.5 }] } }));
readings.waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) });

const otherTenant = integ.assertions.httpApiCall(rest('/v1/devices/integ-sensor-1'), { headers: { Authorization: tenantB } });
otherTenant.expect(ExpectedResult.objectLike({ status: 404 }));

const v2 = integ.assertions.httpApiCall(rest('/v2/devices/integ-sensor-1'), { headers: { Authorization: tenantA } });
v2.expect(ExpectedResult.objectLike({ status: 200, body: { device: { id: 'integ-sensor-1', status: 'active' }, links: Match.objectLike({}) } }));

const mesh = integ.assertions.httpApiCall(`http://${lab.mesh.deviceService.loadBalancer!.loadBalancerDnsName}/analytics/summary`);
mesh.expect(ExpectedResult.objectLike({ status: 200, body: { source: 'analytics-service' } }));
mesh.waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(15) });

ready.next(register).next(deviceLogin).next(telemetry).next(readings).next(otherTenant).next(v2).next(mesh);

app.synth();
