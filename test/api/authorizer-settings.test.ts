import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { JsonConfig } from '../../lambda-src/shared/config';
import { ApiAuth, AuthorizedApi } from '../../src/api';
import { AUTHORIZER_SETTINGS_VARIABLE, AuthorizerSettings, parseAuthorizerSettings } from '../../src/api/authorizer-settings';
import { synthesizedSettings, withRenamedKey } from '../helpers/settings-contract';

// The contract between AuthorizedApi and the authorizer handler: what the construct
// synthesizes, the handler's own parser reads as the props and routes asked for.
function synthesize(): Record<string, unknown> {
  const stack = new Stack(new App(), 'Stack');
  const api = new AuthorizedApi(stack, 'Api', {
    auth: ApiAuth.jwt({
      issuer: 'https://login.example.com',
      audience: ['orders-client'],
      jwksUri: 'https://login.example.com/keys',
      algorithms: ['ES256'],
      tenantClaim: 'org',
      requiredClaims: ['sub'],
      clockTolerance: Duration.seconds(10),
      apiKeyClients: [{ id: 'batch', keySha256: 'a'.repeat(64), tenantId: 'acme', scopes: ['orders:read'] }],
    }),
  });
  api.addRoute('GET', '/orders/{id}', new apigateway.MockIntegration(), { scopes: ['orders:read'] });
  api.addRoute('POST', '/orders', new apigateway.MockIntegration(), { scopes: ['orders:write'] });
  return synthesizedSettings(Template.fromStack(stack), AUTHORIZER_SETTINGS_VARIABLE);
}

const parse = (document: Record<string, unknown>) => parseAuthorizerSettings(new JsonConfig(AUTHORIZER_SETTINGS_VARIABLE, document));

const EXPECTED: Partial<AuthorizerSettings> = {
  issuers: [expect.objectContaining({
    issuer: 'https://login.example.com',
    audiences: ['orders-client'],
    jwksUri: 'https://login.example.com/keys',
    algorithms: ['ES256'],
    tenantClaim: 'org',
    requiredClaims: ['sub'],
  })],
  apiKeys: [{ id: 'batch', sha256: 'a'.repeat(64), tenantId: 'acme', scopes: ['orders:read'] }],
  routes: [{ method: 'GET', path: '/orders/{id}', scopes: ['orders:read'] }, { method: 'POST', path: '/orders', scopes: ['orders:write'] }],
  policyScope: 'api',
  clockToleranceSec: 10,
};

describe('authorizer settings contract', () => {
  test('the handler parses the synthesized settings into exactly the issuer, keys and routes the props asked for', () => {
    expect(parse(synthesize())).toMatchObject(EXPECTED);
  });

  test('a field the construct renamed would fail the contract', () => {
    const renamed = withRenamedKey(synthesize(), 'clockToleranceSec', 'clockTolerance');
    expect(() => expect(parse(renamed)).toMatchObject(EXPECTED)).toThrow();
  });
});
