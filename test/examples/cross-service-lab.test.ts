import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CrossServiceLabStack } from '../../examples/cross-service/cross-service-lab-stack';
import { unacknowledgedNagFindings } from '../helpers/nag';

// One synthesis shared by the assertions (the stack is large); nag runs on its own instance.
const stack = new CrossServiceLabStack(new App(), 'CrossServiceLab');
const template = Template.fromStack(stack);

function resourcesOf(type: string): Record<string, { Properties: Record<string, any> }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, any> }>;
}

describe('CrossServiceLab', () => {
  test('runs the four services in one Service Connect namespace, each reachable by its alias', () => {
    template.resourceCountIs('AWS::ECS::Service', 4);
    template.resourceCountIs('AWS::ServiceDiscovery::HttpNamespace', 1);
    template.hasResourceProperties('AWS::ServiceDiscovery::HttpNamespace', { Name: 'cross-service.local' });
    const aliases = Object.values(resourcesOf('AWS::ECS::Service'))
      .flatMap((s) => s.Properties.ServiceConnectConfiguration.Services ?? [])
      .flatMap((svc: any) => svc.ClientAliases.map((a: any) => `${a.DnsName}:${a.Port}`))
      .sort();
    expect(aliases).toEqual(['inventory:8080', 'notification:8080', 'order:8080', 'user:8080']);
  });

  test('only the order service is behind the public load balancer', () => {
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
    const withLoadBalancer = Object.values(resourcesOf('AWS::ECS::Service')).filter((s) => (s.Properties.LoadBalancers ?? []).length > 0);
    expect(withLoadBalancer).toHaveLength(1);
    expect(withLoadBalancer[0].Properties.ServiceConnectConfiguration.Services[0].ClientAliases[0].DnsName).toBe('order');
  });

  test('POST /orders on the ALB goes to the place-order function', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 10,
      Conditions: Match.arrayWith([
        Match.objectLike({ Field: 'path-pattern', PathPatternConfig: { Values: ['/orders'] } }),
        Match.objectLike({ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['POST'] } }),
      ]),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { TargetType: 'lambda' });
  });

  test('the order service may reach its three peers on exactly the service port', () => {
    const ingress = Object.values(resourcesOf('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);
    const meshRules = ingress.filter((r) => String(r.Description).includes('through Service Connect'));
    expect(meshRules.map((r) => [r.Description, r.FromPort, r.ToPort, r.SourceSecurityGroupId['Fn::GetAtt'][0]]).sort()).toEqual([
      ['order calls inventory through Service Connect', 8080, 8080, expect.stringMatching(/^OrderServiceSecurityGroup/)],
      ['order calls notification through Service Connect', 8080, 8080, expect.stringMatching(/^OrderServiceSecurityGroup/)],
      ['order calls user through Service Connect', 8080, 8080, expect.stringMatching(/^OrderServiceSecurityGroup/)],
    ]);
  });

  test('order events fan out to an inventory and a notification queue, each with a DLQ and a consumer', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      FilterPolicy: { eventType: ['order.created', 'order.cancelled'] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      FilterPolicy: { eventType: ['order.created', 'order.shipped', 'order.cancelled'] },
    });
    const redriven = Object.values(resourcesOf('AWS::SQS::Queue')).filter((q) => q.Properties.RedrivePolicy?.maxReceiveCount === 3);
    expect(redriven).toHaveLength(2);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'] });
  });

  test('the place-order function may invoke only the inventory breaker and publish only to the order topic', () => {
    const policies = Object.values(resourcesOf('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes('PlaceOrderRole'));
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const invoke = statements.filter((s: any) => s.Action === 'lambda:InvokeFunction');
    expect(invoke).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [expect.stringMatching(/^InventoryBreakerHandlerFunction/), 'Arn'] } })]);
    const publish = statements.filter((s: any) => s.Action === 'sns:Publish');
    expect(publish).toEqual([expect.objectContaining({ Resource: { Ref: expect.stringMatching(/^OrderEventsTopic/) } })]);
  });

  test('the inventory breaker guards calls to the order service URL and falls back to unknown stock', () => {
    const breaker = Object.values(resourcesOf('AWS::Lambda::Function'))
      .find((f) => JSON.stringify(f.Properties.Environment ?? {}).includes('CIRCUIT_BREAKER_SETTINGS'));
    const settings = JSON.stringify(breaker!.Properties.Environment.Variables.CIRCUIT_BREAKER_SETTINGS);
    expect(settings).toContain('inventory');
    expect(settings).toContain('fallback');
    expect(settings).toContain('DNSName');
  });

  test('a dashboard shows circuit state, queue and DLQ depth and service health', () => {
    const body = JSON.stringify(Object.values(resourcesOf('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    for (const title of ['Inventory circuit state', 'Queue depth', 'Dead-letter queues', 'Running tasks per service', 'Public ALB']) {
      expect(body).toContain(title);
    }
  });

  test('every alarm notifies the encrypted lab alarm topic', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'Cross-service lab alarms', KmsMasterKeyId: Match.anyValue() });
    const alarms = Object.values(resourcesOf('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThanOrEqual(20);
    const unwired = alarms.filter((a) => !JSON.stringify(a.Properties.AlarmActions ?? []).includes('AlarmTopic'));
    expect(unwired).toEqual([]);
  });

  test('CloudWatch may use the alarm topic\'s key only on behalf of alarms of this account', () => {
    const statements = Object.values(resourcesOf('AWS::KMS::Key')).flatMap((k) => k.Properties.KeyPolicy.Statement as any[]);
    const cloudWatch = statements.filter((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(cloudWatch).toEqual([expect.objectContaining({
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']] },
        },
      },
    })]);
  });

  test('the alarm topic denies every action without TLS', () => {
    const policies = Object.values(resourcesOf('AWS::SNS::TopicPolicy')).filter((p) => JSON.stringify(p.Properties.Topics).includes('Alarm'));
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([expect.objectContaining({
      Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sns:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    })]));
  });

  test('the load balancer may invoke the place-order function only for this account', () => {
    const albPermissions = Object.values(resourcesOf('AWS::Lambda::Permission'))
      .filter((p) => p.Properties.Principal === 'elasticloadbalancing.amazonaws.com');
    expect(albPermissions).toHaveLength(1);
    expect(albPermissions[0].Properties.SourceAccount).toEqual({ Ref: 'AWS::AccountId' });
  });

  test('one lab key encrypts every log group (flow logs, ECS Exec, services, functions) and the alarm notifications', () => {
    const labKeyArn = { 'Fn::GetAtt': [stack.getLogicalId(stack.encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] };
    const logGroups = Object.values(resourcesOf('AWS::Logs::LogGroup'));
    expect(logGroups.length).toBeGreaterThanOrEqual(10);
    for (const group of logGroups) expect(group.Properties.KmsKeyId).toEqual(labKeyArn);
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'Cross-service lab alarms', KmsMasterKeyId: labKeyArn });
    // the lab key and the order events key (whose policy lets SNS deliver into the encrypted queues)
    template.resourceCountIs('AWS::KMS::Key', 2);
  });

  test('everything is destroyed with the stack', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::Logs::LogGroup', 'AWS::KMS::Key', 'AWS::SQS::Queue']) {
      const retained = Object.entries(template.findResources(type)).filter(([, r]) => r.DeletionPolicy !== 'Delete');
      expect(retained.map(([id]) => id)).toEqual([]);
    }
  });

  test('never uses the retired App Mesh', () => {
    expect(JSON.stringify(template.toJSON())).not.toContain('AWS::AppMesh::');
  });

  test('is cdk-nag clean (AwsSolutions + Serverless)', () => {
    expect(unacknowledgedNagFindings(new CrossServiceLabStack(new App(), 'CrossServiceLabNag'))).toEqual([]);
  });
});
