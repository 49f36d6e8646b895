import { App, CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { IotPlatformStack } from '../../../examples/iot-platform/iot-platform-stack';
import { unacknowledgedNagFindings } from '../../helpers/nag';

// One synthesis of the default stack (opt-ins off) shared by the assertions; the nag check
// and the opt-ins build their own instances (iot-platform-options.test.ts).
const stack = new IotPlatformStack(new App(), 'IotPlatform');
const template = Template.fromStack(stack);
type Resource = { Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
const resourcesOf = (type: string) => template.findResources(type) as Record<string, Resource>;
const logicalIdOf = (construct: IConstruct) => stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
const policyStatementsOf = (roleLogicalIdPrefix: RegExp) => Object.values(resourcesOf('AWS::IAM::Policy'))
  .filter((p) => p.Properties.Roles.some((r: any) => roleLogicalIdPrefix.test(r.Ref)))
  .flatMap((p) => p.Properties.PolicyDocument.Statement);

describe('IotPlatform: the mesh', () => {
  test('three services join the iot-platform.local namespace under the aliases device-service, data-service and analytics-service', () => {
    template.hasResourceProperties('AWS::ServiceDiscovery::HttpNamespace', { Name: 'iot-platform.local' });
    const aliases = Object.values(resourcesOf('AWS::ECS::Service'))
      .flatMap((s) => s.Properties.ServiceConnectConfiguration.Services ?? [])
      .flatMap((svc: any) => svc.ClientAliases.map((a: any) => `${a.DnsName}:${a.Port}`))
      .sort();
    expect(aliases).toEqual(['analytics-service:8080', 'data-service:8080', 'device-service-b:8080', 'device-service:8080']);
  });

  test('no AWS::AppMesh resource is emitted', () => {
    const types = Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(types.filter((t) => t.startsWith('AWS::AppMesh::'))).toEqual([]);
    expect(types).toContain('AWS::ECS::Service');
  });

  test('every core mesh service keeps at least two tasks and a per-request timeout', () => {
    for (const service of [stack.mesh.deviceService, stack.mesh.dataService, stack.mesh.analyticsService]) {
      const cfn = template.findResources('AWS::ECS::Service')[logicalIdOf(service.service)] as Resource;
      const timeout = cfn.Properties.ServiceConnectConfiguration.Services[0].Timeout;
      expect(timeout.PerRequestTimeoutSeconds).toBeGreaterThan(0);
    }
    const targets = Object.values(resourcesOf('AWS::ApplicationAutoScaling::ScalableTarget')).map((t) => t.Properties.MinCapacity).sort();
    expect(targets).toEqual([1, 2, 2, 2]); // device-service-b, the A/B variant, runs one task
  });

  test('device-service deploys as a 10 percent canary with a 5 minute bake and an x-canary test header', () => {
    const cfn = template.findResources('AWS::ECS::Service')[logicalIdOf(stack.mesh.deviceService.service)] as Resource;
    expect(cfn.Properties.DeploymentConfiguration).toMatchObject({
      Strategy: 'CANARY',
      CanaryConfiguration: { CanaryBakeTimeInMinutes: 5, CanaryPercent: 10 },
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
    });
    expect(cfn.Properties.ServiceConnectConfiguration.Services[0].ClientAliases[0].TestTrafficRules).toEqual({ Header: { Name: 'x-canary', Value: { Exact: 'true' } } });
  });

  test('a request with x-ab-variant b is routed to device-service-b by a rule ahead of the production rule', () => {
    const rules = Object.values(resourcesOf('AWS::ElasticLoadBalancingV2::ListenerRule')).map((r) => r.Properties);
    const ab = rules.find((r) => r.Conditions.some((c: any) => c.Field === 'http-header' && c.HttpHeaderConfig.HttpHeaderName === 'x-ab-variant'));
    expect(ab).toBeDefined();
    expect(ab!.Conditions[0].HttpHeaderConfig.Values).toEqual(['b']);
    expect(ab!.Actions[0].TargetGroupArn).toEqual({ Ref: logicalIdOf(stack.mesh.variantBTargetGroup) });
    const others = rules.filter((r) => r !== ab);
    expect(others.length).toBeGreaterThan(0);
    for (const production of others) expect(ab!.Priority).toBeLessThan(production.Priority);
  });

  test('container and target-group health checks probe /health', () => {
    for (const tg of Object.values(resourcesOf('AWS::ElasticLoadBalancingV2::TargetGroup'))) expect(tg.Properties.HealthCheckPath).toBe('/health');
    for (const td of Object.values(resourcesOf('AWS::ECS::TaskDefinition'))) {
      const app = td.Properties.ContainerDefinitions.find((c: any) => c.PortMappings?.some((p: any) => p.ContainerPort === 8080));
      expect(JSON.stringify(app.HealthCheck.Command)).toContain('/health');
    }
  });
});

describe('IotPlatform: the APIs', () => {
  test('the REST API has v1 and v2 resources and the v2 model requires model and firmwareVersion', () => {
    const paths = Object.values(resourcesOf('AWS::ApiGateway::Resource')).map((r) => r.Properties.PathPart);
    expect(paths).toEqual(expect.arrayContaining(['v1', 'v2', 'devices', '{deviceId}', 'readings', 'status']));
    const models = Object.values(resourcesOf('AWS::ApiGateway::Model')).map((m) => m.Properties.Schema);
    const v2 = models.find((s) => s.properties?.firmwareVersion);
    expect(v2.required).toEqual(['deviceId', 'model', 'firmwareVersion']);
    const v1 = models.find((s) => s !== v2);
    expect(v1.required).toEqual(['deviceId']);
    const methods = Object.values(resourcesOf('AWS::ApiGateway::Method')).map((m) => m.Properties.HttpMethod).filter((m) => m !== 'OPTIONS').sort();
    expect(methods).toEqual(['DELETE', 'GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'POST', 'POST']);
  });

  test('the REST API takes usage keys from the authorizer and tenant-a is metered by the basic plan', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { ApiKeySourceType: 'AUTHORIZER' });
    const plans = resourcesOf('AWS::ApiGateway::UsagePlan');
    const planOf = (tenant: string) => {
      const key = logicalIdOf(stack.deviceApi.api.tenantApiKeys[tenant]);
      const link = Object.values(resourcesOf('AWS::ApiGateway::UsagePlanKey')).find((k) => k.Properties.KeyId.Ref === key)!;
      return plans[link.Properties.UsagePlanId.Ref].Properties;
    };
    expect(planOf('tenant-a').Throttle).toEqual({ RateLimit: 2, BurstLimit: 4 });
    expect(planOf('tenant-a').Quota).toEqual({ Limit: 500, Period: 'DAY' });
    expect(planOf('tenant-b').Throttle).toEqual({ RateLimit: 50, BurstLimit: 100 });
    // Two tenant keys and no per-tier key a caller could send in x-api-key.
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 2);
  });

  test('the telemetry route uses the Cognito JWT authorizer with the device client as the only audience', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [{ Ref: logicalIdOf(stack.identity.deviceClient) }], Issuer: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /telemetry', AuthorizationType: 'JWT' });
  });

  test('the telemetry route integrates Kinesis-PutRecord with the token subject as partition key and no Lambda', () => {
    const integrations = Object.values(resourcesOf('AWS::ApiGatewayV2::Integration')).filter((i) => i.Properties.ApiId.Ref === logicalIdOf(stack.ingest.api));
    expect(integrations).toHaveLength(1);
    expect(integrations[0].Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationSubtype: 'Kinesis-PutRecord',
      PayloadFormatVersion: '1.0',
      CredentialsArn: { 'Fn::GetAtt': [logicalIdOf(stack.ingest.integrationRole), 'Arn'] },
      RequestParameters: { StreamName: { Ref: logicalIdOf(stack.pipeline.stream) }, Data: '$request.body', PartitionKey: '$context.authorizer.claims.sub' },
    });
    expect(JSON.stringify(integrations[0].Properties)).not.toContain('lambda');
  });

  test('the integration role may only put records to the telemetry stream', () => {
    const statements = policyStatementsOf(new RegExp(`^${logicalIdOf(stack.ingest.integrationRole)}$`));
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'kinesis:PutRecord', Resource: { 'Fn::GetAtt': [logicalIdOf(stack.pipeline.stream), 'Arn'] } }]);
  });

  test('only the WebSocket $connect route has an authorizer', () => {
    const routes = Object.values(resourcesOf('AWS::ApiGatewayV2::Route')).filter((r) => r.Properties.ApiId.Ref === logicalIdOf(stack.commands.api));
    expect(routes.map((r) => [r.Properties.RouteKey, r.Properties.AuthorizationType ?? 'NONE']).sort()).toEqual([
      ['$connect', 'CUSTOM'], ['$default', 'NONE'], ['$disconnect', 'NONE'], ['sendCommand', 'NONE'],
    ]);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'REQUEST', IdentitySource: ['route.request.header.Authorization'] });
  });

  test('send-command may manage connections of the prod stage only', () => {
    const statements = policyStatementsOf(new RegExp(`^${logicalIdOf(stack.commands.sendCommandFunction.role!)}$`));
    const manage = statements.filter((s: any) => s.Action === 'execute-api:ManageConnections');
    expect(manage).toHaveLength(1);
    expect(JSON.stringify(manage[0].Resource)).toMatch(/\/prod\/\*\/@connections\/\*"/);
  });

  test('the REST, HTTP and WebSocket stages write JSON access logs naming the principal, kept one month', () => {
    const rest = Object.values(resourcesOf('AWS::ApiGateway::Stage'))[0].Properties.AccessLogSetting;
    expect(rest.Format).toContain('principalId');
    for (const stage of Object.values(resourcesOf('AWS::ApiGatewayV2::Stage'))) {
      const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
      expect(format.principal).toMatch(/^\$context\.authorizer\./);
      expect(format.requestId).toBe('$context.requestId');
      const group = template.findResources('AWS::Logs::LogGroup')[stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'][0]] as Resource;
      expect(group.Properties.RetentionInDays).toBe(30);
    }
  });

  test('the REST stage has a web ACL with per-IP and per-credential rate rules', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: [
        Match.objectLike({ Name: 'RateLimitPerIp', Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 1000 } } }),
        Match.objectLike({
          Name: 'RateLimitPerCredential',
          Statement: { RateBasedStatement: Match.objectLike({ AggregateKeyType: 'CUSTOM_KEYS', Limit: 300, CustomKeys: [{ Header: Match.objectLike({ Name: 'authorization' }) }] }) },
        }),
      ],
    });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: { 'Fn::GetAtt': [logicalIdOf(stack.webAcl!), 'Arn'] } });
  });
});

describe('IotPlatform: data path and tenant isolation', () => {
  test('the tenant data role allows DynamoDB only on keys led by the caller\'s tenant tag', () => {
    const statements = policyStatementsOf(new RegExp(`^${logicalIdOf(stack.deviceApi.tenantDataRole)}$`));
    expect(statements).toHaveLength(1);
    expect(statements[0].Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['T#${aws:PrincipalTag/tenantId}#*', '${aws:PrincipalTag/tenantId}'] },
    });
    expect(statements[0].Action).not.toContain('dynamodb:Scan');
    const trust = (template.findResources('AWS::IAM::Role')[logicalIdOf(stack.deviceApi.tenantDataRole)] as Resource).Properties.AssumeRolePolicyDocument.Statement;
    expect(trust.map((s: any) => s.Action).sort()).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    for (const s of trust) {
      expect(s.Condition).toEqual({ 'StringLike': { 'aws:RequestTag/tenantId': '?*' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenantId'] } });
      expect(s.Principal.AWS['Fn::GetAtt'][0]).toBe(logicalIdOf(stack.deviceApi.handler.role!));
    }
  });

  test('the device API function has no DynamoDB permission of its own', () => {
    const statements = policyStatementsOf(new RegExp(`^${logicalIdOf(stack.deviceApi.handler.role!)}$`));
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect(actions.filter((a: string) => a.startsWith('dynamodb:'))).toEqual([]);
    expect(actions).toEqual(expect.arrayContaining(['sts:AssumeRole', 'sts:TagSession', 'lambda:InvokeFunction', 'cognito-idp:AdminCreateUser']));
  });

  test('the connection table expires items through TTL', () => {
    const table = template.findResources('AWS::DynamoDB::Table')[logicalIdOf(stack.tables.connections)] as Resource;
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'ttl', Enabled: true });
  });

  test('the telemetry stream is on demand and its consumer reports partial failures, bisects failed batches and dead-letters exhausted batches', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', { StreamModeDetails: { StreamMode: 'ON_DEMAND' }, RetentionPeriodHours: 24 });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf(stack.pipeline.stream), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(stack.pipeline.streamFailureQueue), 'Arn'] } } },
    });
  });

  test('threshold events fan out to an operator-alert queue (filtered) and an analytics queue, each with a consumer', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { FilterPolicy: { eventType: ['threshold.exceeded'] } });
    const consumers = Object.values(resourcesOf('AWS::Lambda::EventSourceMapping')).map((m) => m.Properties.FunctionName.Ref).sort();
    expect(consumers).toEqual([logicalIdOf(stack.pipeline.alertNotifier), logicalIdOf(stack.pipeline.analyticsAggregator), logicalIdOf(stack.pipeline.consumer)].sort());
  });

  test('every alarm notifies the KMS-encrypted incident topic', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue(), DisplayName: 'IoT platform incidents' });
    const topic = { Ref: logicalIdOf(stack.incidentTopic) };
    const alarms = Object.values(resourcesOf('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(40);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toContainEqual(topic);
  });

  test('nothing is retained: no Retain or Snapshot deletion policy in the template', () => {
    const kept = Object.entries(template.toJSON().Resources as Record<string, Resource>)
      .filter(([, r]) => ['Retain', 'Snapshot', 'RetainExceptOnCreate'].includes(r.DeletionPolicy ?? '') || ['Retain', 'Snapshot'].includes(r.UpdateReplacePolicy ?? ''))
      .map(([id]) => id);
    expect(kept).toEqual([]);
  });
});

test('the stack passes cdk-nag AwsSolutions and Serverless with only acknowledged findings', () => {
  expect(unacknowledgedNagFindings(new IotPlatformStack(new App(), 'IotPlatformNag'))).toEqual([]);
});
