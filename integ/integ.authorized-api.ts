import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { ApiAuth, AuthorizedApi } from '../src/api';

// An AuthorizedApi called over HTTPS by the assertion provider:
//   no token -> 401, a token without the route's scope -> 403, a valid token -> 200, and a
//   key of the 'trial' tier past its quota -> 429.
//
// How the test gets a valid token without an identity provider: the integ app derives a
// TEST-ONLY Ed25519 key from a fixed seed, trusts only its public key (preloaded JWKS of a
// made-up issuer, so the authorizer needs no network), and signs the tokens at synth time.
// Ed25519 signatures are deterministic, so the snapshot is stable. The key grants nothing
// outside this short-lived stack: no other API trusts the issuer.
const ISSUER = 'https://integ.authorized-api.invalid';
const AUDIENCE = 'integ-client';
const seed = createHash('sha256').update('cdk-service-integration integ.authorized-api TEST-ONLY signing key').digest();
const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
const publicJwk = { ...createPublicKey(privateKey).export({ format: 'jwk' }), kid: 'integ-ed25519', alg: 'EdDSA', use: 'sig' };

function mintToken(scope: string): string {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = b64({ alg: 'EdDSA', kid: publicJwk.kid, typ: 'JWT' });
  const payload = b64({
    'iss': ISSUER,
    'aud': AUDIENCE,
    'sub': 'integ-user',
    'scope': scope,
    'custom:tenant_id': 'integ-tenant',
    'iat': 1767225600, // 2026-01-01
    'exp': 4102444800, // 2100-01-01: the issuer only exists inside this test stack
  });
  return `${header}.${payload}.${sign(null, Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
}

const app = new App();
const stack = new Stack(app, 'AuthorizedApiInteg');
const api = new AuthorizedApi(stack, 'OrdersApi', {
  auth: ApiAuth.jwt({ issuer: ISSUER, audience: [AUDIENCE], algorithms: ['EdDSA'], jwks: JSON.stringify({ keys: [publicJwk] }) }),
  stages: ['integ'],
  tiers: [
    { name: 'standard', rateLimit: 50, burstLimit: 100 },
    { name: 'trial', rateLimit: 1, burstLimit: 1, quotaPerDay: 2 },
  ],
  // Execution logs need the account-level API Gateway CloudWatch role, which a test must not
  // create or assume: access logs (JSON) still record every request.
  executionLogLevel: apigateway.MethodLoggingLevel.OFF,
  removalPolicy: RemovalPolicy.DESTROY,
});
const ok = new apigateway.MockIntegration({
  requestTemplates: { 'application/json': '{"statusCode": 200}' },
  integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok": true, "tenant": "$context.authorizer.tenantId"}' } }],
});
api.addRoute('GET', '/orders', ok, { scopes: ['orders:read'], methodResponses: [{ statusCode: '200' }] });
api.addRoute('GET', '/admin', ok, { scopes: ['orders:admin'], methodResponses: [{ statusCode: '200' }] });

const integ = new IntegTest(app, 'AuthorizedApiTest', { testCases: [stack] });
const keyValue = (index: number) => {
  const call = integ.assertions.awsApiCall('APIGateway', 'getApiKey', { apiKey: api.apiKeys[index].keyId, includeValue: true }, ['value']);
  call.provider.addToRolePolicy({ Effect: 'Allow', Action: ['apigateway:GET'], Resource: ['*'] });
  return call.getAttString('value');
};
const standardKey = keyValue(0);
const trialKey = keyValue(1);
const url = (path: string) => api.stages[0].urlForPath(path);
const readToken = mintToken('orders:read');

// 200 first, with retries: a fresh deployment takes a moment to serve.
const allowed = integ.assertions.httpApiCall(url('/orders'), { headers: { 'Authorization': `Bearer ${readToken}`, 'x-api-key': standardKey } });
allowed.expect(ExpectedResult.objectLike({ status: 200, body: { ok: true, tenant: 'integ-tenant' } }));
allowed.waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) });

const noToken = integ.assertions.httpApiCall(url('/orders'), { headers: { 'x-api-key': standardKey } });
noToken.expect(ExpectedResult.objectLike({ status: 401 }));

const missingScope = integ.assertions.httpApiCall(url('/admin'), { headers: { 'Authorization': `Bearer ${readToken}`, 'x-api-key': standardKey } });
missingScope.expect(ExpectedResult.objectLike({ status: 403 }));

// The trial tier allows 2 requests a day: polling the same request reaches 429.
const overQuota = integ.assertions.httpApiCall(url('/orders'), { headers: { 'Authorization': `Bearer ${readToken}`, 'x-api-key': trialKey } });
overQuota.expect(ExpectedResult.objectLike({ status: 429 }));
overQuota.waitForAssertions({ totalTimeout: Duration.minutes(2), interval: Duration.seconds(2) });

allowed.next(noToken).next(missingScope).next(overQuota);

app.synth();
