import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ApiAuth, AuthorizedApi, AuthorizedApiProps } from '../../src/api';
import { keyArnOf, logGroupKeys } from '../helpers/encryption';
import { unacknowledgedNagFindings } from '../helpers/nag';

const ISSUER = 'https://issuer.example.com';
const integration = new apigateway.MockIntegration({ integrationResponses: [{ statusCode: '200' }], requestTemplates: { 'application/json': '{"statusCode": 200}' } });
const methodResponses = [{ statusCode: '200' }];

function build(props: Partial<AuthorizedApiProps> = {}, routes = true) {
  const stack = new Stack(new App(), 'Stack');
  const api = new AuthorizedApi(stack, 'OrdersApi', {
    auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['client-1'] }),
    ...props,
  });
  if (routes) {
    api.addRoute('GET', '/orders', integration, { scopes: ['orders:read'], methodResponses });
    api.addRoute('POST', '/orders', integration, {
      scopes: ['orders:write'],
      methodResponses,
      bodySchema: { type: apigateway.JsonSchemaType.OBJECT, required: ['sku'], properties: { sku: { type: apigateway.JsonSchemaType.STRING } } },
    });
    api.addRoute('GET', '/orders/{id}', integration, { scopes: ['orders:read'], methodResponses });
  }
  return { stack, api };
}

function settingsOf(stack: Stack): any {
  const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  const env = Object.values(fns)[0].Properties.Environment.Variables.AUTHORIZER_SETTINGS;
  if (typeof env === 'string') return JSON.parse(env);
  // Fn::Join of literal JSON pieces and tokens: tokens become readable placeholders
  const parts: unknown[] = env['Fn::Join'][1];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : `<${JSON.stringify(p).replace(/[^A-Za-z0-9:]/g, '')}>`)).join(''));
}

describe('AuthorizedApi', () => {
  test('a realistic API is cdk-nag clean', () => {
    const { stack } = build({ stages: ['dev', 'prod'], tiers: [{ name: 'basic', rateLimit: 5, burstLimit: 10, quotaPerDay: 1000 }], waf: {} });
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});

describe('AuthorizedApi defaults', () => {
  test('one key of the construct, new by default, encrypts the access logs and the authorizer\'s log group', () => {
    const { stack, api } = build();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(Object.values(logGroupKeys(template))).toEqual([keyArnOf(stack, api.encryptionKey), keyArnOf(stack, api.encryptionKey)]);
  });

  test('an encryptionKey given encrypts both log groups and no key is created', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new kms.Key(stack, 'LogsKey', { enableKeyRotation: true });
    const api = new AuthorizedApi(stack, 'OrdersApi', { auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['client-1'] }), encryptionKey: key });
    api.addRoute('GET', '/orders', integration, { scopes: ['orders:read'], methodResponses });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(Object.values(logGroupKeys(template))).toEqual([keyArnOf(stack, key), keyArnOf(stack, key)]);
  });

  test('a regional API with one prod stage, tracing, JSON access logs and no account-level role', () => {
    const { stack } = build();
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] }, ApiKeySourceType: 'HEADER' });
    t.resourceCountIs('AWS::ApiGateway::Account', 0);
    t.resourceCountIs('AWS::ApiGateway::Stage', 1);
    t.resourceCountIs('AWS::ApiGateway::Deployment', 1);
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"tenantId":"\\$context.authorizer.tenantId"') },
      MethodSettings: [Match.objectLike({
        ResourcePath: '/*', HttpMethod: '*', LoggingLevel: 'ERROR', DataTraceEnabled: false, ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200,
      })],
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    t.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
    const format = JSON.parse(Object.values(t.findResources('AWS::ApiGateway::Stage'))[0].Properties.AccessLogSetting.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status', authorizerError: '$context.authorizer.error' });
  });

  test('routes use the token authorizer with a cached, route-correct policy and request validation', () => {
    const { stack, api } = build();
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 300,
      IdentityValidationExpression: '^(Bearer|ApiKey) [A-Za-z0-9._~+/=-]+$',
    });
    t.resourceCountIs('AWS::ApiGateway::Method', 3);
    t.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', AuthorizationType: 'CUSTOM', ApiKeyRequired: false, RequestModels: { 'application/json': Match.anyValue() } });
    t.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
    t.hasResourceProperties('AWS::ApiGateway::Model', { ContentType: 'application/json', Schema: Match.objectLike({ required: ['sku'] }) });
    t.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 5, TracingConfig: { Mode: 'Active' } });
    const settings = settingsOf(stack);
    expect(settings.policyScope).toBe('api');
    expect(settings.routes).toEqual([
      { method: 'GET', path: '/orders', scopes: ['orders:read'] },
      { method: 'POST', path: '/orders', scopes: ['orders:write'] },
      { method: 'GET', path: '/orders/{id}', scopes: ['orders:read'] },
    ]);
    expect(settings.issuers).toEqual([{ issuer: ISSUER, audiences: ['client-1'] }]);
    expect(settings.clockToleranceSec).toBe(30);
    expect(api.authorizerFunction).toBeDefined();
  });

  test('the authorizer function may be invoked only by this API\'s authorizer', () => {
    const { stack } = build();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('/authorizers/')])]) }),
    });
  });

  test('with authorizer caching off the policy covers only the invoked method', () => {
    const { stack } = build({ authorizerCacheTtl: Duration.seconds(0) });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 0 });
    expect(settingsOf(stack).policyScope).toBe('method');
  });
});

describe('AuthorizedApi options', () => {
  test('several stages share one deployment, each with its own settings and alarms', () => {
    const { stack, api } = build({ stages: ['dev', 'staging', 'prod'], stageThrottling: { dev: { rateLimit: 5, burstLimit: 10 } } });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ApiGateway::Deployment', 1);
    t.resourceCountIs('AWS::ApiGateway::Stage', 3);
    const deploymentId = Object.keys(t.findResources('AWS::ApiGateway::Deployment'))[0];
    for (const name of ['dev', 'staging', 'prod']) {
      t.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: name, DeploymentId: { Ref: deploymentId } });
    }
    t.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'dev', MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 })] });
    t.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod', MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 100 })] });
    expect(api.stages).toHaveLength(3);
    expect(api.stageNames).toEqual(['dev', 'staging', 'prod']);
    expect(api.serverErrorAlarms).toHaveLength(3);
    expect(api.latencyAlarms).toHaveLength(3);
  });

  test('the cache is encrypted and cacheable routes are keyed by the caller\'s Authorization header and every path parameter', () => {
    const stack = new Stack(new App(), 'Stack');
    const api = new AuthorizedApi(stack, 'Api', { auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['a'] }), cache: { ttl: Duration.minutes(2), size: '1.6' } });
    api.addRoute('GET', '/catalog/{category}/items/{id}', integration, { cacheable: true, methodResponses });
    api.addRoute('POST', '/catalog/{category}/items/{id}', integration, { methodResponses });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      CacheClusterEnabled: true,
      CacheClusterSize: '1.6',
      MethodSettings: [
        Match.objectLike({ ResourcePath: '/*', HttpMethod: '*', CachingEnabled: false, CacheDataEncrypted: true }),
        Match.objectLike({ ResourcePath: '/~1catalog~1{category}~1items~1{id}', HttpMethod: 'GET', CachingEnabled: true, CacheTtlInSeconds: 120, CacheDataEncrypted: true }),
      ],
    });
    // API Gateway only keys on parameters the method request declares
    t.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      RequestParameters: { 'method.request.header.Authorization': true, 'method.request.path.category': true, 'method.request.path.id': true },
      Integration: Match.objectLike({
        CacheKeyParameters: ['method.request.header.Authorization', 'method.request.path.category', 'method.request.path.id'],
      }),
    });
    t.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', Integration: Match.objectLike({ CacheKeyParameters: Match.absent() }) });
  });

  test('the declared query parameters and headers of a cacheable route are part of its cache key', () => {
    const stack = new Stack(new App(), 'Stack');
    const api = new AuthorizedApi(stack, 'Api', { auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['a'] }), cache: {} });
    api.addRoute('GET', '/files/{proxy+}', integration, {
      cacheable: true,
      methodResponses,
      requestParameters: {
        'method.request.querystring.page': false,
        'method.request.multivaluequerystring.tag': false,
        'method.request.header.Accept-Language': false,
      },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      RequestParameters: {
        'method.request.header.Authorization': true,
        'method.request.path.proxy': true,
        'method.request.querystring.page': false,
        'method.request.multivaluequerystring.tag': false,
        'method.request.header.Accept-Language': false,
      },
      Integration: Match.objectLike({
        CacheKeyParameters: [
          'method.request.header.Authorization',
          'method.request.path.proxy',
          'method.request.header.Accept-Language',
          'method.request.multivaluequerystring.tag',
          'method.request.querystring.page',
        ],
      }),
    });
  });

  test('with ApiAuth.apiKeyOnly() a cacheable route is keyed by the caller\'s API key', () => {
    const stack = new Stack(new App(), 'Stack');
    const api = new AuthorizedApi(stack, 'Api', { auth: ApiAuth.apiKeyOnly(), tiers: [{ name: 'basic', rateLimit: 1, burstLimit: 2 }], cache: {} });
    api.addRoute('GET', '/prices/{sku}', integration, { cacheable: true, methodResponses });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Method', {
      RequestParameters: { 'method.request.header.x-api-key': true, 'method.request.path.sku': true },
      Integration: Match.objectLike({ CacheKeyParameters: ['method.request.header.x-api-key', 'method.request.path.sku'] }),
    });
  });

  test('a cacheable public route is keyed by its path parameters without requiring an Authorization header', () => {
    const stack = new Stack(new App(), 'Stack');
    const api = new AuthorizedApi(stack, 'Api', { auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['a'] }), cache: {} });
    api.addRoute('GET', '/orders', integration, { methodResponses });
    api.addPublicRoute('GET', '/docs/{page}', integration, { reason: 'the public API reference', cacheable: true, methodResponses });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Method', {
      AuthorizationType: 'NONE',
      RequestParameters: { 'method.request.header.Authorization': false, 'method.request.path.page': true },
      Integration: Match.objectLike({ CacheKeyParameters: ['method.request.header.Authorization', 'method.request.path.page'] }),
    });
  });

  test('stageSettings give each stage its own variables, cache cluster, execution log level and metrics', () => {
    const stack = new Stack(new App(), 'Stack');
    const api = new AuthorizedApi(stack, 'Api', {
      auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['a'] }),
      stages: ['dev', 'prod'],
      cache: { ttl: Duration.minutes(1) },
      stageSettings: {
        dev: { cacheEnabled: false, executionLogLevel: apigateway.MethodLoggingLevel.INFO, detailedMetrics: true, variables: { catalogVersion: 'v2', table: 'menu-dev' } },
        prod: { variables: { catalogVersion: 'v1' } },
      },
    });
    api.addRoute('GET', '/catalog', integration, { cacheable: true, methodResponses });
    const t = Template.fromStack(stack);
    const stages = Object.values(t.findResources('AWS::ApiGateway::Stage')).map((r) => r.Properties);
    const dev = stages.find((p) => p.StageName === 'dev');
    const prod = stages.find((p) => p.StageName === 'prod');
    expect(dev.Variables).toEqual({ catalogVersion: 'v2', table: 'menu-dev' });
    expect(dev.CacheClusterEnabled).toBeUndefined();
    expect(dev.MethodSettings).toEqual([expect.objectContaining({ ResourcePath: '/*', LoggingLevel: 'INFO', MetricsEnabled: true, CachingEnabled: false })]);
    expect(dev.MethodSettings[0].CacheDataEncrypted).toBeUndefined();
    expect(prod.Variables).toEqual({ catalogVersion: 'v1' });
    expect(prod).toMatchObject({ CacheClusterEnabled: true, CacheClusterSize: '0.5' });
    expect(prod.MethodSettings).toEqual([
      expect.objectContaining({ ResourcePath: '/*', LoggingLevel: 'ERROR', MetricsEnabled: false }),
      expect.objectContaining({ ResourcePath: '/~1catalog', HttpMethod: 'GET', CachingEnabled: true, CacheTtlInSeconds: 60 }),
    ]);
  });

  test('routeThrottling gives a route its own throttle on every stage, in the same method setting as its caching', () => {
    const stack = new Stack(new App(), 'Stack');
    const api = new AuthorizedApi(stack, 'Api', {
      auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['a'] }),
      stages: ['dev', 'prod'],
      cache: { ttl: Duration.minutes(1) },
      stageSettings: { dev: { cacheEnabled: false } },
      routeThrottling: { 'POST /catalog': { rateLimit: 2, burstLimit: 4 }, 'GET /catalog': { rateLimit: 7, burstLimit: 9 } },
    });
    api.addRoute('GET', '/catalog', integration, { cacheable: true, methodResponses });
    api.addRoute('POST', '/catalog', integration, { methodResponses });
    const stages = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::Stage')).map((r) => r.Properties);
    const methodSettingsOf = (name: string) => stages.find((p) => p.StageName === name).MethodSettings
      .map((m: any) => [m.HttpMethod, m.ResourcePath, m.ThrottlingRateLimit, m.ThrottlingBurstLimit, m.CachingEnabled]);
    expect(methodSettingsOf('prod')).toEqual([
      ['*', '/*', 100, 200, false],
      ['GET', '/~1catalog', 7, 9, true],
      ['POST', '/~1catalog', 2, 4, false],
    ]);
    // No cache on dev: the GET route keeps its throttle but is not cached.
    expect(methodSettingsOf('dev')).toEqual([
      ['*', '/*', 100, 200, false],
      ['GET', '/~1catalog', 7, 9, false],
      ['POST', '/~1catalog', 2, 4, false],
    ]);
  });

  test('tiers become usage plans with throttles, daily quotas and an API key on every stage', () => {
    const { stack, api } = build({
      stages: ['dev', 'prod'],
      tiers: [{ name: 'basic', rateLimit: 10, burstLimit: 20, quotaPerDay: 10000 }, { name: 'premium', rateLimit: 100, burstLimit: 200 }],
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ApiGateway::UsagePlan', 2);
    t.resourceCountIs('AWS::ApiGateway::ApiKey', 2);
    t.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 2);
    t.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 10, BurstLimit: 20 },
      Quota: { Limit: 10000, Period: 'DAY' },
      ApiStages: [Match.objectLike({ Stage: Match.anyValue() }), Match.objectLike({ Stage: Match.anyValue() })],
    });
    t.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Throttle: { RateLimit: 100, BurstLimit: 200 }, Quota: Match.absent() });
    t.allResourcesProperties('AWS::ApiGateway::Method', { ApiKeyRequired: true });
    expect(api.usagePlans).toHaveLength(2);
    expect(api.apiKeys).toHaveLength(2);
  });

  test('ApiAuth.apiKeyOnly() has no authorizer and requires tier keys, and is nag clean', () => {
    const stack = new Stack(new App(), 'Stack');
    const api = new AuthorizedApi(stack, 'Api', { auth: ApiAuth.apiKeyOnly(), tiers: [{ name: 'basic', rateLimit: 1, burstLimit: 2 }] });
    api.addRoute('GET', '/', integration, { methodResponses });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ApiGateway::Authorizer', 0);
    t.resourceCountIs('AWS::Lambda::Function', 0);
    t.hasResourceProperties('AWS::ApiGateway::Method', { AuthorizationType: 'NONE', ApiKeyRequired: true });
    expect(api.authorizerFunction).toBeUndefined();
    expect(api.authorizerErrorAlarm).toBeUndefined();
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });

  test('ApiAuth.cognito() trusts exactly the pool\'s issuer and the given app clients', () => {
    const stack = new Stack(new App(), 'Stack');
    const pool = new cognito.UserPool(stack, 'Pool');
    const client = pool.addClient('Client');
    const api = new AuthorizedApi(stack, 'Api', { auth: ApiAuth.cognito(pool, { userPoolClients: [client], tenantClaim: 'custom:org' }) });
    api.addRoute('GET', '/me', integration, { scopes: ['profile/read'], methodResponses });
    const issuer = settingsOf(stack).issuers[0];
    expect(issuer).toMatchObject({ audiences: [], tokenUse: 'access', tenantClaim: 'custom:org', algorithms: ['RS256'] });
    expect(issuer.issuer).toBe(`https://cognito-idp.<Ref:AWS::Region>.<Ref:AWS::URLSuffix>/<Ref:${stack.resolve(pool.userPoolId).Ref}>`);
    expect(issuer.jwksUri).toBe(`${issuer.issuer}/.well-known/jwks.json`);
    expect(issuer.clientIds).toEqual([`<Ref:${stack.resolve(client.userPoolClientId).Ref}>`]);
  });

  test('ApiAuth.cognito() without app clients fails, naming auth.userPoolClients and the explicit opt-in', () => {
    const stack = new Stack(new App(), 'Stack');
    const pool = new cognito.UserPool(stack, 'Pool');
    expect(() => new AuthorizedApi(stack, 'Api', { auth: ApiAuth.cognito(pool) })).toThrow(
      /auth\.userPoolClients must list the app clients whose tokens are accepted \(or set auth\.allowAnyClient: true to accept every client of the pool\), got \[\]/);
    const client = pool.addClient('Client');
    expect(() => new AuthorizedApi(stack, 'Both', { auth: ApiAuth.cognito(pool, { userPoolClients: [client], allowAnyClient: true }) }))
      .toThrow(/auth\.allowAnyClient cannot be combined with auth\.userPoolClients/);
  });

  test('ApiAuth.cognito() accepts every app client of the pool only when allowAnyClient says so', () => {
    const stack = new Stack(new App(), 'Stack');
    const pool = new cognito.UserPool(stack, 'Pool');
    const api = new AuthorizedApi(stack, 'Api', { auth: ApiAuth.cognito(pool, { allowAnyClient: true }) });
    api.addRoute('GET', '/me', integration, { methodResponses });
    expect(settingsOf(stack).issuers[0]).toMatchObject({ tokenUse: 'access', anyClient: true });
  });

  test('API-key clients reach the authorizer as hashes only', () => {
    const sha = 'a'.repeat(64);
    const { stack } = build({
      auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['a'], apiKeyClients: [{ id: 'partner', keySha256: sha, tenantId: 't-1', scopes: ['orders:read'] }] }),
    });
    expect(settingsOf(stack).apiKeys).toEqual([{ id: 'partner', sha256: sha, tenantId: 't-1', scopes: ['orders:read'] }]);
  });

  test('the account-level CloudWatch role is created only when asked for', () => {
    const { stack } = build({ cloudWatchRole: true });
    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::Account', 1);
  });

  test('a new web ACL with a per-IP rate rule is associated with every stage', () => {
    const { stack, api } = build({ stages: ['dev', 'prod'], waf: { rateLimitPer5Minutes: 500 } });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: [Match.objectLike({ Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 500, AggregateKeyType: 'IP' } } })],
    });
    t.resourceCountIs('AWS::WAFv2::WebACLAssociation', 2);
    expect(api.webAcl).toBeDefined();
  });

  test('an existing web ACL is associated without creating one', () => {
    const arn = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/existing/1234';
    const { stack } = build({ waf: { webAclArn: arn } });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::WAFv2::WebACL', 0);
    t.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: arn });
  });

  test('a custom domain maps to the last stage unless told otherwise', () => {
    const stack = new Stack(new App(), 'Stack');
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc');
    const api = new AuthorizedApi(stack, 'Api', {
      auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['a'] }),
      stages: ['staging', 'prod'],
      customDomain: { domainName: 'api.example.com', certificate },
    });
    api.addRoute('GET', '/x', integration, { methodResponses });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGateway::DomainName', { DomainName: 'api.example.com', SecurityPolicy: 'TLS_1_2', EndpointConfiguration: { Types: ['REGIONAL'] } });
    t.hasResourceProperties('AWS::ApiGateway::BasePathMapping', { Stage: { Ref: Match.stringLikeRegexp('StageProd') } });
  });

  test('CORS preflight routes are added and the API stays nag clean', () => {
    const { stack } = build({ cors: { allowOrigins: ['https://app.example.com'] } });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS', AuthorizationType: 'NONE' });
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});

describe('AuthorizedApi route coverage', () => {
  test('a method that uses the authorizer but is not in the route table fails at synth, naming it and the fix', () => {
    const { stack, api } = build();
    api.restApi.root.resourceForPath('/orders/{id}/refund').addMethod('POST', integration, {
      authorizer: api.authorizer,
      authorizationType: apigateway.AuthorizationType.CUSTOM,
      methodResponses,
    });
    expect(() => Template.fromStack(stack)).toThrow(
      /method POST \/orders\/\{id\}\/refund uses the API's authorizer but is not in its route table.*add it with addRoute\('POST', '\/orders\/\{id\}\/refund', integration, \{ scopes \}\)/);
  });

  test('a method without any authorization fails at synth unless it was declared public', () => {
    const { stack, api } = build();
    api.restApi.root.addResource('status').addMethod('GET', integration, { methodResponses });
    expect(() => Template.fromStack(stack)).toThrow(
      /method GET \/status has no authorization.*addRoute\('GET', '\/status', \.\.\.\) to guard it, or addPublicRoute\('GET', '\/status', integration, \{ reason \}\) to serve it to anyone/);
  });

  test('a route whose authorizer was removed after addRoute fails at synth', () => {
    const { stack, api } = build();
    const method = api.addRoute('GET', '/reports', integration, { methodResponses });
    const cfn = method.node.defaultChild as apigateway.CfnMethod;
    cfn.authorizationType = 'NONE';
    cfn.authorizerId = undefined;
    expect(() => Template.fromStack(stack)).toThrow(/method GET \/reports was added with addRoute but no longer uses the API's authorizer/);
  });

  test('a public route has no authorizer and no API key, carries its reason, and the API stays nag clean', () => {
    const { stack, api } = build({ tiers: [{ name: 'basic', rateLimit: 5, burstLimit: 10 }] });
    const method = api.addPublicRoute('GET', '/health', integration, { reason: 'load balancer and uptime checks call it without credentials', methodResponses });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      ResourceId: { Ref: Match.stringLikeRegexp('health') },
      AuthorizationType: 'NONE',
      AuthorizerId: Match.absent(),
      ApiKeyRequired: false,
    });
    expect(JSON.stringify((method.node.defaultChild as apigateway.CfnMethod).getMetadata('cdk_nag'))).toContain('load balancer and uptime checks');
    expect(settingsOf(stack).routes.map((r: { path: string }) => r.path)).not.toContain('/health');
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });

  test('a public route needs a reason and cannot repeat a route', () => {
    const { api } = build();
    expect(() => api.addPublicRoute('GET', '/health', integration, { reason: '' })).toThrow(/reason must say why the route needs no credentials/);
    expect(() => api.addPublicRoute('GET', '/orders', integration, { reason: 'a route already guarded' })).toThrow(/route must be added once, got 'GET \/orders'/);
    api.addPublicRoute('GET', '/health', integration, { reason: 'uptime checks call it without credentials' });
    expect(() => api.addRoute('GET', '/health', integration)).toThrow(/route must be added once, got 'GET \/health'/);
  });

  test('methods with an authorization of their own (IAM) and CORS preflights are left alone', () => {
    const { stack, api } = build({ cors: { allowOrigins: ['https://app.example.com'] } });
    api.restApi.root.addResource('internal').addMethod('POST', integration, { authorizationType: apigateway.AuthorizationType.IAM, methodResponses });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});

describe('AuthorizedApi alarms', () => {
  test('5XX rate and p99 latency per stage plus authorizer errors, wired to the alarm topic', () => {
    const stack = new Stack(new App(), 'Stack');
    const topic = new sns.Topic(stack, 'Topic');
    const api = new AuthorizedApi(stack, 'Api', { auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['a'] }), alarmTopic: topic, latencyP99Threshold: Duration.seconds(2) });
    api.addRoute('GET', '/x', integration, { methodResponses });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: '5XXError',
      Statistic: 'Average',
      Threshold: 0.05,
      Period: 300,
      Dimensions: Match.arrayWith([Match.objectLike({ Name: 'Stage' })]),
      AlarmActions: [{ Ref: Match.anyValue() }],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Latency', ExtendedStatistic: 'p99', Threshold: 2000 });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1 });
    expect(api.alarms).toHaveLength(3);
  });

  test('addAlarmAction wires every alarm', () => {
    const stack = new Stack(new App(), 'Stack');
    const topic = new sns.Topic(stack, 'Topic');
    const { api } = { api: new AuthorizedApi(stack, 'Api', { auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['a'] }) }) };
    api.addRoute('GET', '/x', integration, { methodResponses });
    api.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');
    for (const alarm of Object.values(alarms)) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
      expect(alarm.Properties.OKActions).toHaveLength(1);
    }
  });
});

describe('AuthorizedApi bad input', () => {
  test('every invalid prop is reported in one error', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(() => new AuthorizedApi(stack, 'Api', {
      auth: ApiAuth.jwt({ issuer: 'http://plain', audience: [], jwksUri: 'http://keys', algorithms: ['HS256'], jwks: '{"keys":[{"kty":"RSA","d":"secret"}]}' }),
      stages: ['dev', 'dev', 'bad-name'],
      throttling: { rateLimit: 0, burstLimit: 1.5 },
      stageThrottling: { qa: { rateLimit: 1, burstLimit: 1 } },
      cache: { ttl: Duration.hours(2), size: '2' },
      tiers: [{ name: 'basic', rateLimit: 1, burstLimit: 1, quotaPerDay: 0 }, { name: 'basic', rateLimit: 1, burstLimit: 1 }],
      authorizerCacheTtl: Duration.hours(2),
      customDomain: { domainName: 'a.example.com', certificate: acm.Certificate.fromCertificateArn(stack, 'C', 'arn:aws:acm:eu-west-1:1:certificate/x'), stage: 'qa' },
    })).toThrow(new RegExp([
      "AuthorizedApi at 'Stack/Api' has invalid props",
      "stages must be letters, digits or _ \\(1-128 characters\\), got 'bad-name'",
      'stages must not repeat a name',
      'throttling.rateLimit must be between 0.001 and 10000, got 0',
      'throttling.burstLimit must be an integer between 0 and 5000, got 1.5',
      "stageThrottling must only name stages of the API \\(dev, dev, bad-name\\), got 'qa'",
      'cache.ttl must be between 0 seconds and 1 hour',
      "cache.size must be one of '0.5'",
      'authorizerCacheTtl must be between 0 seconds and 1 hour',
      'tiers\\[basic\\].quotaPerDay must be an integer between 1 and 2000000000, got 0',
      'tiers must not repeat a tier name',
      "auth.issuer must be an https URL, got 'http://plain'",
      'auth.audience must hold at least one audience',
      'auth.jwksUri must be an https URL',
      "auth.algorithms must be one of 'RS256'",
      'auth.jwks must be a JWKS JSON document of public keys',
      'customDomain.stage must be one of the stages',
    ].join('[\\s\\S]*')));
  });

  test('stageSettings must name stages of the API, valid variables, and a cache only when there is one', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(() => new AuthorizedApi(stack, 'Api', {
      auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['a'] }),
      stages: ['dev', 'prod'],
      stageSettings: {
        qa: {},
        dev: { cacheEnabled: true, variables: { 'bad-name': 'x', 'table': 'has space' } },
      },
    })).toThrow(new RegExp([
      "stageSettings must only name stages of the API \\(dev, prod\\), got 'qa'",
      'stageSettings.dev.cacheEnabled needs the cache prop',
      "stageSettings.dev.variables must be a name of letters, digits or _ \\(1-64 characters\\), got 'bad-name'",
      "stageSettings.dev.variables.table must be letters, digits and -._~:/\\?#&=, \\(1-512 characters\\), got 'has space'",
    ].join('[\\s\\S]*')));
  });

  test('routeThrottling keys must be routes of the API with valid throttles', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(() => new AuthorizedApi(stack, 'Bad', {
      auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['a'] }),
      routeThrottling: { 'orders': { rateLimit: 1, burstLimit: 1 }, 'GET /orders': { rateLimit: 0, burstLimit: 1 } },
    })).toThrow(new RegExp([
      "routeThrottling must be '<METHOD> <path>' as given to addRoute, e.g. 'POST /orders', got 'orders'",
      "routeThrottling\\['GET /orders'\\].rateLimit must be between 0.001 and 10000, got 0",
    ].join('[\\s\\S]*')));
    const app = new App();
    const other = new Stack(app, 'Other');
    const api = new AuthorizedApi(other, 'Api', {
      auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['a'] }),
      routeThrottling: { 'DELETE /orders': { rateLimit: 1, burstLimit: 1 }, 'GET /health': { rateLimit: 1, burstLimit: 1 } },
    });
    api.addRoute('GET', '/orders', integration, { methodResponses });
    api.addPublicRoute('GET', '/health', integration, { reason: 'load balancer health checks', methodResponses });
    // Public routes are routes too: only the DELETE key is unknown.
    expect(() => app.synth()).toThrow(/routeThrottling names 'DELETE \/orders', which is not a route of the API \(routes: GET \/orders, GET \/health\)/);
  });

  test('API-key-only mode needs a tier and rejects route scopes', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(() => new AuthorizedApi(stack, 'NoTier', { auth: ApiAuth.apiKeyOnly() })).toThrow(/tiers must hold at least one tier with ApiAuth.apiKeyOnly\(\)/);
    const api = new AuthorizedApi(stack, 'Api', { auth: ApiAuth.apiKeyOnly(), tiers: [{ name: 'b', rateLimit: 1, burstLimit: 1 }] });
    expect(() => api.addRoute('GET', '/x', integration, { scopes: ['a'] })).toThrow(/scopes cannot be used with ApiAuth.apiKeyOnly\(\)/);
  });

  test('bad routes are rejected: method, path, duplicates, scope syntax, caching without a cache', () => {
    const { api } = build();
    expect(() => api.addRoute('FETCH', 'orders', integration, { scopes: ['has space'], cacheable: true })).toThrow(new RegExp([
      "method must be one of 'GET'.*got 'FETCH'",
      "path must be '/' or '/'-separated segments",
      'scopes must be printable ASCII without spaces',
      'cacheable needs the cache prop',
    ].join('[\\s\\S]*')));
    expect(() => api.addRoute('GET', '/orders', integration)).toThrow(/route must be added once, got 'GET \/orders'/);
    expect(() => api.addRoute('get', '/orders', integration)).toThrow(/route must be added once/);
    expect(() => api.addRoute('GET', '/files/{proxy+}/x', integration)).toThrow(/may only end with a \{proxy\+\} segment/);
  });

  test('invalid API-key clients are rejected', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(() => new AuthorizedApi(stack, 'Api', {
      auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['a'], apiKeyClients: [{ id: 'p', keySha256: 'not-a-hash', tenantId: 'bad tenant' }, { id: 'p', keySha256: 'b'.repeat(64), tenantId: 't' }] }),
    })).toThrow(/keySha256 must be 64 lower-case hex[\s\S]*tenantId must be letters[\s\S]*id must be unique/);
  });

  test('an API without routes fails at synth', () => {
    const { stack } = build({}, false);
    expect(() => Template.fromStack(stack)).toThrow(/AuthorizedApi has no routes|Authorizer .* must be attached to a RestApi/);
  });

  test('a route table whose cached policy could exceed 8 KiB fails at synth', () => {
    const { stack, api } = build({}, false);
    for (let i = 0; i < 80; i++) api.addRoute('GET', `/resource-with-a-rather-long-name-${i}/{id}`, integration, { scopes: [`s${i}`], methodResponses });
    expect(() => Template.fromStack(stack)).toThrow(/cached authorizer policy for 80 routes can reach \d+ bytes, over the 8192-byte limit/);
  });

  test('the same large route table is fine with authorizer caching off', () => {
    const { stack, api } = build({ authorizerCacheTtl: Duration.seconds(0) }, false);
    for (let i = 0; i < 80; i++) api.addRoute('GET', `/resource-with-a-rather-long-name-${i}/{id}`, integration, { scopes: [`s${i}`], methodResponses });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('routes that no cached policy can separate fail at synth with the pair named', () => {
    const { stack, api } = build({}, false);
    api.addRoute('GET', '/a/{x}/c', integration, { scopes: ['s1'], methodResponses });
    api.addRoute('GET', '/a/b/{y}', integration, { scopes: ['s2'], methodResponses });
    api.addRoute('GET', '/a/{x}/{z}', integration, { scopes: ['s3'], methodResponses });
    expect(() => Template.fromStack(stack)).toThrow(/routes 'GET \/a\/.*' .* cannot share a cached authorizer policy/);
  });
});
