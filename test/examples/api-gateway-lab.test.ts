import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ApiGatewayLabStack, ApiGatewayLabProps } from '../../examples/api-gateway/api-gateway-lab-stack';
import { CAFE_SCOPES } from '../../examples/api-gateway/cafe-identity';
import { MENU_V1_RESPONSE, MENU_V2_RESPONSE } from '../../examples/api-gateway/menu-templates';
import { renderTemplate } from '../helpers/api-gateway-vtl';
import { unacknowledgedNagFindings } from '../helpers/nag';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

const DOMAIN: ApiGatewayLabProps['domain'] = { domainName: 'api.example.com', hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.com' };

function synth(props: ApiGatewayLabProps = {}): Template {
  return Template.fromStack(new ApiGatewayLabStack(new App(), 'ApiGatewayLab', props));
}

// One synthesis per mode shared by the assertions; nag runs on its own instances.
const template = synth();
const withDomain = synth({ domain: DOMAIN, executionLogs: true });

function resourcesOf(t: Template, type: string): Record<string, Resource> {
  return t.findResources(type) as Record<string, Resource>;
}

/** Every method of the API as `VERB /path`, with its CloudFormation properties. */
function methods(t: Template): Map<string, Record<string, any>> {
  const resources = resourcesOf(t, 'AWS::ApiGateway::Resource');
  const pathOf = (ref: any): string => {
    if (!ref?.Ref) return '';
    const r = resources[ref.Ref];
    return `${pathOf(r.Properties.ParentId)}/${r.Properties.PathPart}`;
  };
  const out = new Map<string, Record<string, any>>();
  for (const m of Object.values(resourcesOf(t, 'AWS::ApiGateway::Method'))) {
    out.set(`${m.Properties.HttpMethod} ${pathOf(m.Properties.ResourceId) || '/'}`, m.Properties);
  }
  return out;
}

function stage(t: Template, name: string): Record<string, any> {
  const found = Object.values(resourcesOf(t, 'AWS::ApiGateway::Stage')).find((s) => s.Properties.StageName === name);
  expect(found).toBeDefined();
  return found!.Properties;
}

/** The authorizer's route table (AUTHORIZER_SETTINGS of the authorizer function). */
function authorizerRoutes(t: Template): { method: string; path: string; scopes: string[] }[] {
  const fn = Object.values(resourcesOf(t, 'AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.AUTHORIZER_SETTINGS);
  const raw = fn!.Properties.Environment.Variables.AUTHORIZER_SETTINGS;
  // Fn::Join of literal JSON pieces and tokens: tokens become readable placeholders
  const text = typeof raw === 'string' ? raw : raw['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : `<${JSON.stringify(p).replace(/[^A-Za-z0-9:]/g, '')}>`)).join('');
  return JSON.parse(text).routes;
}

describe('ApiGatewayLab resource model', () => {
  test('serves the café routes: menu v1/v2 and orders, nothing else', () => {
    expect([...methods(template).keys()].sort()).toEqual([
      'GET /v1/customers/{customerId}/orders',
      'GET /v1/menu',
      'GET /v1/orders/{orderId}',
      'GET /v2/menu',
      'POST /v1/menu',
      'POST /v1/orders',
    ]);
  });

  test('every method uses the library authorizer and a usage-plan API key, and is in the authorizer\'s route table with its scopes', () => {
    const authorizers = Object.keys(resourcesOf(template, 'AWS::ApiGateway::Authorizer'));
    expect(authorizers).toHaveLength(1);
    for (const [route, m] of methods(template)) {
      expect([route, m.AuthorizationType, m.AuthorizerId, m.ApiKeyRequired]).toEqual([route, 'CUSTOM', { Ref: authorizers[0] }, true]);
    }
    expect(authorizerRoutes(template).map((r) => `${r.method} ${r.path} ${r.scopes.join(',')}`).sort()).toEqual([
      `GET /v1/customers/{customerId}/orders ${CAFE_SCOPES.ordersRead}`,
      `GET /v1/menu ${CAFE_SCOPES.menuRead}`,
      `GET /v1/orders/{orderId} ${CAFE_SCOPES.ordersRead}`,
      `GET /v2/menu ${CAFE_SCOPES.menuRead}`,
      `POST /v1/menu ${CAFE_SCOPES.menuWrite}`,
      `POST /v1/orders ${CAFE_SCOPES.ordersWrite}`,
    ]);
  });

  test('orders are Lambda proxy integrations of one function, invocable only from this API', () => {
    const m = methods(template);
    const targets = ['POST /v1/orders', 'GET /v1/orders/{orderId}', 'GET /v1/customers/{customerId}/orders'].map((r) => m.get(r)!.Integration);
    for (const integration of targets) expect(integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
    expect(new Set(targets.map((i) => JSON.stringify(i.Uri))).size).toBe(1);
    const permissions = Object.values(resourcesOf(template, 'AWS::Lambda::Permission')).filter((p) => JSON.stringify(p.Properties.FunctionName).includes('Orders'));
    expect(permissions.length).toBeGreaterThan(0);
    for (const p of permissions) expect(JSON.stringify(p.Properties.SourceArn)).toContain('CafeApiRestApi');
  });
});

describe('ApiGatewayLab menu on direct DynamoDB integrations', () => {
  test('v1 and v2 query DynamoDB with the same request and different response templates (the breaking change)', () => {
    const m = methods(template);
    const v1 = m.get('GET /v1/menu')!.Integration;
    const v2 = m.get('GET /v2/menu')!.Integration;
    for (const integration of [v1, v2]) {
      expect(integration).toMatchObject({ Type: 'AWS', IntegrationHttpMethod: 'POST', PassthroughBehavior: 'NEVER' });
      expect(JSON.stringify(integration.Uri)).toContain(':dynamodb:action/Query');
    }
    expect(JSON.stringify(v1.RequestTemplates)).toEqual(JSON.stringify(v2.RequestTemplates));
    const success = (i: any) => i.IntegrationResponses.find((r: any) => r.StatusCode === '200').ResponseTemplates['application/json'];
    expect(success(v1)).toBe(MENU_V1_RESPONSE);
    expect(success(v2)).toBe(MENU_V2_RESPONSE);
  });

  test('the synthesized request templates render to DynamoDB calls on the stack\'s menu table', () => {
    const m = methods(template);
    // The table name is a token in the template: joined with a stand-in, as CloudFormation joins the real name.
    const requestTemplate = (route: string) => {
      const value = m.get(route)!.Integration.RequestTemplates['application/json'];
      if (typeof value === 'string') return value;
      return value['Fn::Join'][1].map((part: any) => (typeof part === 'string' ? part : part.Ref?.startsWith('MenuTable') ? 'menu-table' : '?')).join('');
    };
    expect(renderTemplate(requestTemplate('GET /v2/menu'), { querystring: { category: 'tea' } }).json())
      .toMatchObject({ TableName: 'menu-table', ExpressionAttributeValues: { ':category': { S: 'tea' } } });
    expect(renderTemplate(requestTemplate('POST /v1/menu'), { body: { category: 'tea', itemId: 'sencha', name: 'Sencha', price: 3 } }).json())
      .toMatchObject({ TableName: 'menu-table', Item: { itemId: { S: 'sencha' }, price: { N: '3' } }, ConditionExpression: 'attribute_not_exists(itemId)' });
  });

  test('DynamoDB errors are mapped by status: 4xx to the conflict/throttle/refusal template, 5xx to 502', () => {
    for (const route of ['GET /v1/menu', 'GET /v2/menu', 'POST /v1/menu']) {
      const responses = methods(template).get(route)!.Integration.IntegrationResponses;
      expect(responses).toEqual(expect.arrayContaining([
        expect.objectContaining({ SelectionPattern: '4\\d{2}', StatusCode: '400', ResponseTemplates: { 'application/json': expect.stringContaining('responseOverride.status = 409') } }),
        expect.objectContaining({ SelectionPattern: '5\\d{2}', StatusCode: '502' }),
      ]));
      for (const r of responses) expect(r.ResponseParameters).toEqual({ 'method.response.header.X-Cafe-Environment': 'stageVariables.environment' });
    }
    const create = methods(template).get('POST /v1/menu')!;
    expect(JSON.stringify(create.Integration.Uri)).toContain(':dynamodb:action/PutItem');
    expect(create.MethodResponses.map((r: any) => r.StatusCode)).toEqual(['201', '400', '409', '429', '502']);
  });

  test('API Gateway may only Query and PutItem the menu table, and only from this account', () => {
    const role = Object.values(resourcesOf(template, 'AWS::IAM::Role')).find((r) => r.Properties.Description?.includes('café menu'))!;
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({
      Principal: { Service: 'apigateway.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    })]);
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes('MenuIntegrationRole'));
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual([{
      Effect: 'Allow', Action: ['dynamodb:Query', 'dynamodb:PutItem'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^MenuTable/), 'Arn'] },
    }]);
  });
});

describe('ApiGatewayLab validation', () => {
  test('bodies are validated against JSON-schema models, required parameters by the validator', () => {
    const m = methods(template);
    const models = resourcesOf(template, 'AWS::ApiGateway::Model');
    const schemaOf = (route: string) => models[m.get(route)!.RequestModels['application/json'].Ref].Properties.Schema;
    expect(schemaOf('POST /v1/menu')).toMatchObject({ required: ['category', 'itemId', 'name', 'price'], additionalProperties: false });
    expect(schemaOf('POST /v1/orders')).toMatchObject({ required: ['customerId', 'items'], properties: { items: { minItems: 1, maxItems: 20 } } });
    expect(m.get('POST /v1/orders')!.RequestParameters).toMatchObject({ 'method.request.header.Idempotency-Key': true });
    expect(m.get('GET /v1/menu')!.RequestParameters).toMatchObject({ 'method.request.querystring.category': true });
    expect(m.get('GET /v1/customers/{customerId}/orders')!.RequestParameters).toMatchObject({ 'method.request.querystring.limit': false });
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
    for (const route of m.values()) expect(route.RequestValidatorId).toBeDefined();
  });

  test('gateway responses answer JSON with the request id: 401, 403, 429, validation 400s and the defaults', () => {
    const responses = Object.values(resourcesOf(template, 'AWS::ApiGateway::GatewayResponse')).map((r) => r.Properties);
    expect(responses.map((r) => r.ResponseType).sort()).toEqual([
      'ACCESS_DENIED', 'BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS', 'DEFAULT_4XX', 'DEFAULT_5XX', 'INVALID_API_KEY', 'MISSING_AUTHENTICATION_TOKEN',
      'QUOTA_EXCEEDED', 'THROTTLED', 'UNAUTHORIZED',
    ]);
    for (const r of responses) {
      const body = r.ResponseTemplates['application/json'];
      expect(body).toContain('"requestId":"$context.requestId"');
      // API Gateway substitutes plainly (no VTL): with placeholders filled in, the body must be JSON.
      expect(() => JSON.parse(body.replace('$context.error.messageString', '"Invalid request body"').replace('$context.requestId', 'r-1'))).not.toThrow();
    }
    const parameters = responses.find((r) => r.ResponseType === 'BAD_REQUEST_PARAMETERS')!;
    expect(parameters.ResponseTemplates['application/json']).toContain('"message":$context.error.messageString');
  });
});

describe('ApiGatewayLab stages', () => {
  test('dev, staging and prod come from one deployment with their own throttles, caches, metrics and stage variables', () => {
    template.resourceCountIs('AWS::ApiGateway::Deployment', 1);
    const dev = stage(template, 'dev');
    const staging = stage(template, 'staging');
    const prod = stage(template, 'prod');
    expect(dev.Variables).toEqual({ environment: 'dev', currency: 'EUR' });
    expect(prod.Variables).toEqual({ environment: 'prod', currency: 'EUR' });
    expect(dev.CacheClusterEnabled).toBeUndefined();
    expect(staging).toMatchObject({ CacheClusterEnabled: true, CacheClusterSize: '0.5' });
    expect(prod).toMatchObject({ CacheClusterEnabled: true, CacheClusterSize: '0.5' });
    expect(dev.MethodSettings[0]).toMatchObject({ ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20, MetricsEnabled: true, LoggingLevel: 'OFF' });
    expect(staging.MethodSettings[0]).toMatchObject({ ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50, MetricsEnabled: false });
    expect(prod.MethodSettings[0]).toMatchObject({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 });
    for (const s of [dev, staging, prod]) expect(s).toMatchObject({ TracingEnabled: true, AccessLogSetting: { DestinationArn: expect.anything() } });
  });

  test('writes have their own, tighter throttles on every stage', () => {
    for (const name of ['dev', 'staging', 'prod']) {
      const writes = stage(template, name).MethodSettings.filter((s: any) => s.HttpMethod === 'POST')
        .map((s: any) => [s.ResourcePath, s.ThrottlingRateLimit, s.ThrottlingBurstLimit, s.CachingEnabled]);
      expect(writes).toEqual([['/~1v1~1menu', 1, 2, false], ['/~1v1~1orders', 5, 10, false]]);
    }
  });

  test('only the two menu lists are cached, on staging and prod, for 60 s, encrypted', () => {
    expect(stage(template, 'dev').MethodSettings.filter((s: any) => s.CachingEnabled)).toEqual([]);
    for (const name of ['staging', 'prod']) {
      const cached = stage(template, name).MethodSettings.filter((s: any) => s.CachingEnabled);
      expect(cached.map((s: any) => `${s.HttpMethod} ${s.ResourcePath}`)).toEqual(['GET /~1v1~1menu', 'GET /~1v2~1menu']);
      for (const s of cached) expect(s).toMatchObject({ CacheTtlInSeconds: 60, CacheDataEncrypted: true });
    }
  });

  test('the cache key of the menu lists is per caller and per category', () => {
    for (const route of ['GET /v1/menu', 'GET /v2/menu']) {
      expect(methods(template).get(route)!.Integration.CacheKeyParameters).toEqual(expect.arrayContaining([
        'method.request.header.Authorization', 'method.request.querystring.category',
      ]));
    }
  });

  test('execution logs, when turned on, are INFO on dev and ERROR on staging and prod', () => {
    expect(stage(withDomain, 'dev').MethodSettings[0].LoggingLevel).toBe('INFO');
    expect(stage(withDomain, 'staging').MethodSettings[0].LoggingLevel).toBe('ERROR');
    expect(stage(withDomain, 'prod').MethodSettings[0].LoggingLevel).toBe('ERROR');
    withDomain.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  test('usage plans: the café app and a partner with a daily quota, both on every stage, one key each', () => {
    const plans = Object.values(resourcesOf(template, 'AWS::ApiGateway::UsagePlan')).map((p) => p.Properties);
    expect(plans.map((p) => [p.Throttle, p.Quota])).toEqual([
      [{ RateLimit: 50, BurstLimit: 100 }, undefined],
      [{ RateLimit: 2, BurstLimit: 5 }, { Limit: 1000, Period: 'DAY' }],
    ]);
    for (const p of plans) expect(p.ApiStages).toHaveLength(3);
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 2);
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 2);
  });

  test('a WAF web ACL with a per-IP rate rule guards every stage', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Rules: [Match.objectLike({ Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } } })] });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 3);
  });
});

describe('ApiGatewayLab token issuer', () => {
  test('a user pool with the cafe resource server, a token domain and two client-credentials clients with their scopes', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'cafe',
      Scopes: ['menu.read', 'menu.write', 'orders.read', 'orders.write'].map((s) => ({ ScopeName: s, ScopeDescription: `cafe/${s}` })),
    });
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    const clients = Object.values(resourcesOf(template, 'AWS::Cognito::UserPoolClient')).map((c) => c.Properties);
    expect(clients.map((c) => c.ClientName).sort()).toEqual(['CafeApp', 'PartnerApp']);
    for (const c of clients) expect(c).toMatchObject({ GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthFlowsUserPoolClient: true });
    const partner = clients.find((c) => c.ClientName === 'PartnerApp')!;
    expect(partner.AllowedOAuthScopes).toHaveLength(1);
    expect(JSON.stringify(partner.AllowedOAuthScopes)).toContain('/menu.read');
  });

  test('the authorizer trusts only the two app clients of the stack\'s pool', () => {
    const fn = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).find((f) => f.Properties.Environment?.Variables?.AUTHORIZER_SETTINGS)!;
    const settings = JSON.stringify(fn.Properties.Environment.Variables.AUTHORIZER_SETTINGS);
    expect(settings).toContain('CafeApp');
    expect(settings).toContain('PartnerApp');
    expect(settings).toContain('UserPool');
  });
});

describe('ApiGatewayLab custom domain', () => {
  test('without domain context: no certificate, domain, mapping or record', () => {
    for (const type of ['AWS::CertificateManager::Certificate', 'AWS::ApiGateway::DomainName', 'AWS::ApiGateway::BasePathMapping', 'AWS::Route53::RecordSet']) {
      template.resourceCountIs(type, 0);
    }
  });

  test('with domain context: a DNS-validated certificate, TLS 1.2 regional domain, prod at the root, dev/ and staging/, an alias record', () => {
    withDomain.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.example.com', ValidationMethod: 'DNS', DomainValidationOptions: [{ DomainName: 'api.example.com', HostedZoneId: 'Z0123456789ABC' }],
    });
    withDomain.hasResourceProperties('AWS::ApiGateway::DomainName', { DomainName: 'api.example.com', SecurityPolicy: 'TLS_1_2', EndpointConfiguration: { Types: ['REGIONAL'] } });
    const stageNames = Object.fromEntries(Object.entries(resourcesOf(withDomain, 'AWS::ApiGateway::Stage')).map(([id, s]) => [id, s.Properties.StageName]));
    const mappings = Object.values(resourcesOf(withDomain, 'AWS::ApiGateway::BasePathMapping'))
      .map((m) => `${m.Properties.BasePath ?? '(root)'}=>${stageNames[m.Properties.Stage.Ref]}`).sort();
    expect(mappings).toEqual(['(root)=>prod', 'dev=>dev', 'staging=>staging']);
    withDomain.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'api.example.com.', Type: 'A', HostedZoneId: 'Z0123456789ABC', AliasTarget: { DNSName: Match.anyValue(), HostedZoneId: Match.anyValue() },
    });
  });
});

describe('ApiGatewayLab monitoring and lifecycle', () => {
  test('a dashboard per stage (requests, errors, latency, cache) and alarms wired to the alarm topic', () => {
    const body = JSON.stringify(resourcesOf(template, 'AWS::CloudWatch::Dashboard'));
    for (const metric of ['Count', '4XXError', '5XXError', 'Latency', 'IntegrationLatency', 'CacheHitCount', 'CacheMissCount']) expect(body).toContain(`\\"${metric}\\"`);
    for (const s of ['dev', 'staging', 'prod']) expect(body).toContain(`${s}: cache hits and misses`);
    const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'));
    // 5XX rate and p99 latency per stage, authorizer errors, orders function errors
    expect(alarms).toHaveLength(8);
    for (const alarm of alarms) expect(JSON.stringify(alarm.Properties.AlarmActions)).toContain('AlarmTopic');
  });

  test('nothing is retained or snapshotted, and every log group expires, in both modes', () => {
    for (const t of [template, withDomain]) {
      const kept = Object.entries(t.toJSON().Resources as Record<string, Resource>)
        .filter(([, r]) => ['Retain', 'Snapshot', 'RetainExceptOnCreate'].includes(r.DeletionPolicy ?? '') || ['Retain', 'Snapshot'].includes(r.UpdateReplacePolicy ?? ''));
      expect(kept.map(([id]) => id)).toEqual([]);
      for (const logGroup of Object.values(resourcesOf(t, 'AWS::Logs::LogGroup'))) expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  test.each([
    ['without a domain', {}],
    ['with a domain and execution logs', { domain: DOMAIN, executionLogs: true }],
  ])('is cdk-nag clean (AwsSolutions + Serverless), %s', (_name, props) => {
    expect(unacknowledgedNagFindings(new ApiGatewayLabStack(new App(), 'ApiGatewayLabNag', props))).toEqual([]);
  });
});
