import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { JsonConfig } from '../../lambda-src/shared/config';
import { ApiAuth, ApiTenant, AuthorizedApi, AuthorizedApiProps } from '../../src/api';
import { AUTHORIZER_SETTINGS_VARIABLE, parseAuthorizerSettings } from '../../src/api/authorizer-settings';
import { unacknowledgedNagFindings } from '../helpers/nag';

const ISSUER = 'https://issuer.example.com';
const integration = new apigateway.MockIntegration({ integrationResponses: [{ statusCode: '200' }], requestTemplates: { 'application/json': '{"statusCode": 200}' } });
const TIERS = [
  { name: 'basic', rateLimit: 2, burstLimit: 4, quotaPerDay: 500 },
  { name: 'premium', rateLimit: 20, burstLimit: 40, quotaPerDay: 20_000 },
];
const TENANTS: ApiTenant[] = [{ tenantId: 'tenant-a', tier: 'basic' }, { tenantId: 'tenant-b', tier: 'premium' }];

function build(props: Partial<AuthorizedApiProps> = {}) {
  const stack = new Stack(new App(), 'Stack');
  const api = new AuthorizedApi(stack, 'DeviceApi', {
    auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['client-1'] }),
    apiName: 'devices',
    tiers: TIERS,
    apiKeySource: apigateway.ApiKeySourceType.AUTHORIZER,
    tenants: TENANTS,
    ...props,
  });
  api.addRoute('GET', '/devices', integration, { methodResponses: [{ statusCode: '200' }] });
  return { stack, api };
}

/** The construct's error for `props`, or '' when it builds. */
function problemsOf(props: Partial<AuthorizedApiProps>): string {
  try {
    build(props);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

const keyRef = (stack: Stack, key: apigateway.IApiKey) => stack.resolve(key.keyId) as { Ref: string };
/** The authorizer's settings, each deploy-time reference shown as `<Ref:LogicalId>` so key ids can be told apart. */
function settingsOf(stack: Stack): Record<string, any> {
  const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  const variables = Object.values(fns).map((f) => f.Properties.Environment?.Variables ?? {});
  const env = variables.find((v) => v[AUTHORIZER_SETTINGS_VARIABLE])[AUTHORIZER_SETTINGS_VARIABLE];
  if (typeof env === 'string') return JSON.parse(env);
  const parts: unknown[] = env['Fn::Join'][1];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : `<${JSON.stringify(p).replace(/[^A-Za-z0-9:]/g, '')}>`)).join(''));
}
/** `arn:<partition>:apigateway:<region>::/apikeys/<key id>` as CloudFormation renders it. */
const keyArn = (id: unknown) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, '::/apikeys/', id]] });

describe('AuthorizedApi per-tenant usage keys', () => {
  test('apiKeySource AUTHORIZER renders ApiKeySourceType AUTHORIZER and creates no tier keys', () => {
    const { stack, api } = build({ tenants: [] });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
    t.resourceCountIs('AWS::ApiGateway::UsagePlan', 2);
    t.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    t.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 0);
    expect(api.apiKeys).toEqual([]);
    expect(api.tenantApiKeys).toEqual({});
    // usage plans need apiKeyRequired: the authorizer's usageIdentifierKey is the key
    t.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'GET', ApiKeyRequired: true, AuthorizationType: 'CUSTOM' });
  });

  test('each tenant gets its own API key attached to its tier\'s usage plan', () => {
    const { stack, api } = build();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ApiGateway::ApiKey', 2);
    t.hasResourceProperties('AWS::ApiGateway::ApiKey', { Name: 'devices-tenant-a', Enabled: true, Value: Match.absent() });
    t.hasResourceProperties('AWS::ApiGateway::ApiKey', { Name: 'devices-tenant-b', Enabled: true, Value: Match.absent() });
    const planOf = (tier: string) => {
      const plans = t.findResources('AWS::ApiGateway::UsagePlan', { Properties: { UsagePlanName: `devices-${tier}` } });
      return Object.keys(plans)[0];
    };
    const usagePlanKeys = Object.values(t.findResources('AWS::ApiGateway::UsagePlanKey')).map((r) => r.Properties);
    expect(usagePlanKeys).toHaveLength(2);
    expect(usagePlanKeys).toContainEqual({ KeyId: keyRef(stack, api.tenantApiKeys['tenant-a']), KeyType: 'API_KEY', UsagePlanId: { Ref: planOf('basic') } });
    expect(usagePlanKeys).toContainEqual({ KeyId: keyRef(stack, api.tenantApiKeys['tenant-b']), KeyType: 'API_KEY', UsagePlanId: { Ref: planOf('premium') } });
    t.hasResourceProperties('AWS::ApiGateway::UsagePlan', { UsagePlanName: 'devices-basic', Throttle: { RateLimit: 2, BurstLimit: 4 }, Quota: { Limit: 500, Period: 'DAY' } });
  });

  test('the authorizer may read exactly the tenant keys and nothing else', () => {
    const { stack, api } = build();
    const t = Template.fromStack(stack);
    const readPolicies = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('apigateway:GET'));
    expect(readPolicies).toHaveLength(1);
    expect(readPolicies[0].Properties.PolicyDocument.Statement).toEqual([{
      Action: 'apigateway:GET',
      Effect: 'Allow',
      Resource: [keyArn(keyRef(stack, api.tenantApiKeys['tenant-a'])), keyArn(keyRef(stack, api.tenantApiKeys['tenant-b']))],
    }]);
    const role = stack.resolve((api.authorizerFunction!.role!.node.defaultChild as any).ref);
    expect(readPolicies[0].Properties.Roles).toEqual([role]);
    // no other policy of the stack grants any apigateway action
    const others = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) => p !== readPolicies[0]);
    expect(JSON.stringify(others)).not.toMatch(/apigateway:/);
  });

  test('above 100 tenants the read policy becomes one acknowledged /apikeys/* statement', () => {
    // Synthesis rejects so many tenants (Lambda's 4 KB environment, next test); the policy is
    // read from the construct tree, as it would render once the tenant list leaves the environment.
    const tenants = Array.from({ length: 101 }, (_, i) => ({ tenantId: `t-${i}`, tier: i % 2 ? 'basic' : 'premium' }));
    const { stack, api } = build({ tenants });
    const policy = api.node.findChild('TenantKeyReadPolicy').node.defaultChild as iam.CfnPolicy;
    expect(stack.resolve(policy.policyDocument).Statement).toEqual([{
      Action: 'apigateway:GET',
      Effect: 'Allow',
      Resource: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, '::/apikeys/*']] }],
    }]);
    expect(policy.getMetadata('cdk_nag').rules_to_suppress).toEqual([expect.objectContaining({
      id: 'AwsSolutions-IAM5',
      reason: expect.stringMatching(/^More than 100 tenants: listing every tenant key would crowd the inline role-policy size limit/),
      applies_to: ['Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::/apikeys/*'],
    })]);
  });

  test('a tenant list over Lambda\'s 4 KB environment limit is rejected at synthesis', () => {
    const tenants = (n: number) => Array.from({ length: n }, (_, i) => ({ tenantId: `t-${i}`, tier: 'basic' }));
    expect(() => Template.fromStack(build({ tenants: tenants(101) }).stack)).toThrow(
      /AuthorizedApi tenants: the authorizer's environment would hold at least \d+ bytes with 101 tenants \(each takes about 40 bytes plus its id\), over Lambda's limit of 4096 bytes/);
    const { stack } = build({ tenants: tenants(60) });
    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::ApiKey', 60);
  });

  test('the authorizer settings carry key ids and never key values', () => {
    const { stack, api } = build({ tenantKeyCacheTtl: Duration.minutes(10) });
    const settings = settingsOf(stack);
    const ref = (tenant: string) => `<${JSON.stringify(keyRef(stack, api.tenantApiKeys[tenant])).replace(/[^A-Za-z0-9:]/g, '')}>`;
    expect(settings.usageKeys).toEqual({
      tenants: [{ tenantId: 'tenant-a', apiKeyId: ref('tenant-a') }, { tenantId: 'tenant-b', apiKeyId: ref('tenant-b') }],
      cacheTtlMs: 600_000,
    });
    // a key id, never Fn::GetAtt of a value (CloudFormation cannot output one anyway)
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::Lambda::Function'))).not.toMatch(/Value|GetAtt[^}]*ApiKey/);
    // and the handler's own parser accepts it (ids stand in for the Refs)
    const parsed = parseAuthorizerSettings(new JsonConfig(AUTHORIZER_SETTINGS_VARIABLE, {
      ...settings, usageKeys: { ...settings.usageKeys, tenants: [{ tenantId: 'tenant-a', apiKeyId: 'a1b2c3d4e5' }] },
    }));
    expect(parsed.usageKeys).toEqual({ tenants: [{ tenantId: 'tenant-a', apiKeyId: 'a1b2c3d4e5' }], cacheTtlMs: 600_000 });
  });

  test('an API with key source HEADER keeps its tier keys and its settings have no usageKeys', () => {
    const { stack, api } = build({ apiKeySource: undefined, tenants: undefined });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'HEADER', DisableExecuteApiEndpoint: Match.absent() });
    expect(api.apiKeys).toHaveLength(2);
    expect(settingsOf(stack).usageKeys).toBeUndefined();
    expect(api.usageKeyErrorAlarm).toBeUndefined();
  });

  test('a tenant added with addTenant after construction reaches the authorizer settings', () => {
    const { stack, api } = build();
    const key = api.addTenant({ tenantId: 'tenant-c', tier: 'premium' });
    expect(api.tenantApiKeys['tenant-c']).toBe(key);
    const settings = settingsOf(stack);
    expect(settings.usageKeys.tenants.map((x: { tenantId: string }) => x.tenantId)).toEqual(['tenant-a', 'tenant-b', 'tenant-c']);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 3);
    const policy = Object.values(t.findResources('AWS::IAM::Policy')).find((p) => JSON.stringify(p).includes('apigateway:GET'))!;
    expect(policy.Properties.PolicyDocument.Statement[0].Resource).toContainEqual(keyArn(keyRef(stack, key)));
  });

  test('addTenant rejects a repeated tenant, an unknown tier and an API with key source HEADER', () => {
    const { api } = build();
    expect(() => api.addTenant({ tenantId: 'tenant-a', tier: 'gold' })).toThrow(
      /tenant.tenantId must not repeat a tenant \(one API key per tenant\), got 'tenant-a'[\s\S]*tenant\[tenant-a\]\.tier must name one of the tiers \(basic, premium\), got 'gold'/);
    const header = build({ apiKeySource: undefined, tenants: undefined }).api;
    expect(() => header.addTenant({ tenantId: 'tenant-c', tier: 'basic' })).toThrow(/apiKeySource must be ApiKeySourceType.AUTHORIZER to add tenants/);
  });

  test('usage-key read failures alarm through usageKeyErrorAlarm on this authorizer\'s own metric', () => {
    const { stack, api } = build();
    expect(api.usageKeyErrorAlarm).toBeDefined();
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'CdkServiceIntegration',
      MetricName: 'UsageKeyErrors',
      Dimensions: Match.arrayEquals([{ Name: 'function_name', Value: stack.resolve(api.authorizerFunction!.functionName) }, { Name: 'service', Value: 'authorizer' }]),
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  test('customDomain.mtls puts the truststore on the domain name', () => {
    const stack = new Stack(new App(), 'Stack');
    const bucket = new s3.Bucket(stack, 'Truststore');
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc');
    const api = new AuthorizedApi(stack, 'DeviceApi', {
      auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['client-1'] }),
      customDomain: { domainName: 'api.example.com', certificate, mtls: { bucket, key: 'truststore/ca-bundle.pem', version: 'v1' } },
      disableExecuteApiEndpoint: true,
    });
    api.addRoute('GET', '/devices', integration);
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'api.example.com',
      SecurityPolicy: 'TLS_1_2',
      EndpointConfiguration: { Types: ['REGIONAL'] },
      MutualTlsAuthentication: { TruststoreUri: { 'Fn::Join': ['', ['s3://', { Ref: Match.stringLikeRegexp('^Truststore') }, '/truststore/ca-bundle.pem']] }, TruststoreVersion: 'v1' },
    });
    t.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
  });
});

describe('AuthorizedApi per-tenant usage keys: validation', () => {
  test('tenants without apiKeySource AUTHORIZER are rejected naming tenants and apiKeySource', () => {
    expect(problemsOf({ apiKeySource: undefined })).toMatch(
      /tenants need apiKeySource: ApiKeySourceType.AUTHORIZER, got apiKeySource 'HEADER' with 2 tenant\(s\): with HEADER the caller would choose the key it sends in x-api-key.*got 'tenant-a,tenant-b'/);
  });

  test('a tenant naming an unknown tier is rejected listing the tiers available', () => {
    expect(problemsOf({ tenants: [{ tenantId: 'tenant-a', tier: 'gold' }] })).toMatch(/tenants\[tenant-a\]\.tier must name one of the tiers \(basic, premium\), got 'gold'/);
  });

  test('apiKeySource AUTHORIZER with ApiAuth.apiKeyOnly() is rejected', () => {
    expect(problemsOf({ auth: ApiAuth.apiKeyOnly(), tenants: [] })).toMatch(
      /apiKeySource cannot be AUTHORIZER with ApiAuth.apiKeyOnly\(\): there is no authorizer to return the usage key.*got 'AUTHORIZER'/);
  });

  test('apiKeySource AUTHORIZER without tiers is rejected', () => {
    expect(problemsOf({ tiers: [], tenants: [] })).toMatch(/apiKeySource AUTHORIZER needs at least one tier in tiers.*got 'AUTHORIZER'/);
  });

  test('an invalid or repeated tenantId is rejected with all other problems in one error', () => {
    const message = problemsOf({ tenants: [{ tenantId: 'tenant a', tier: 'basic' }, { tenantId: 'x', tier: 'basic' }, { tenantId: 'x', tier: 'basic' }] });
    expect(message).toMatch(/\(2 problems\)/);
    expect(message).toMatch(/tenants.tenantId must be letters, digits, \. _ : - \(1-128 characters\).*got 'tenant a'/);
    expect(message).toMatch(/tenants.tenantId must not repeat a tenant \(one API key per tenant\), got 'x'/);
  });

  test('more than 10000 tenants are rejected citing the API key quota', () => {
    const tenants = Array.from({ length: 10_001 }, (_, i) => ({ tenantId: `t-${i}`, tier: 'basic' }));
    expect(problemsOf({ tenants })).toMatch(
      /tenants must hold at most 10000 tenants: each has its own API key, and API Gateway allows 10000 API keys per account and region, a quota that cannot be raised, got '10001 tenants'/);
  });

  test('tenantKeyCacheTtl outside 1 minute to 24 hours is rejected', () => {
    expect(problemsOf({ tenantKeyCacheTtl: Duration.seconds(59) })).toMatch(/tenantKeyCacheTtl must be between 1 minute and 1 day, got 59 seconds/);
    expect(problemsOf({ tenantKeyCacheTtl: Duration.hours(25) })).toMatch(/tenantKeyCacheTtl must be between 1 minute and 1 day, got 1 day 1 hour/);
    expect(problemsOf({ tenantKeyCacheTtl: Duration.hours(24) })).toBe('');
  });

  test('mtls on an EDGE endpoint is rejected', () => {
    const stack = new Stack(new App(), 'Stack');
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc');
    const bucket = s3.Bucket.fromBucketName(stack, 'Truststore', 'truststore-bucket');
    expect(() => new AuthorizedApi(stack, 'Api', {
      auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['client-1'] }),
      endpointType: apigateway.EndpointType.EDGE,
      customDomain: { domainName: 'api.example.com', certificate, mtls: { bucket, key: 'ca.pem' } },
    })).toThrow(/customDomain.mtls needs endpointType REGIONAL \(API Gateway offers mutual TLS on regional custom domains only\), got 'endpointType EDGE'/);
  });

  test('disableExecuteApiEndpoint without customDomain is rejected', () => {
    expect(problemsOf({ disableExecuteApiEndpoint: true })).toMatch(
      /disableExecuteApiEndpoint needs customDomain: without the execute-api endpoint and a custom domain the API cannot be reached, got true/);
  });
});

describe('AuthorizedApi per-tenant usage keys: cdk-nag', () => {
  test('the stack with tenants passes cdk-nag AwsSolutions and Serverless', () => {
    const { stack } = build({ stages: ['dev', 'prod'], waf: {} });
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});
