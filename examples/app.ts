#!/usr/bin/env node
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ApiGatewayLabStack } from './api-gateway/api-gateway-lab-stack';
import { CrossServiceLabStack } from './cross-service/cross-service-lab-stack';
import { RdsIntegrationLabStack } from './rds-integration/rds-integration-lab-stack';
import { SmokeStack } from './smoke/smoke-stack';

// Every lab stack of the project, synthesized offline by `npx cdk synth`. Stacks are
// environment-agnostic (no account/region, no context lookups), so no AWS call is made.
const app = new App();

new SmokeStack(app, 'PipelineSmoke');
new CrossServiceLabStack(app, 'CrossServiceLab', { alarmEmail: app.node.tryGetContext('alarmEmail') });
new RdsIntegrationLabStack(app, 'RdsIntegrationLab', {
  alarmEmail: app.node.tryGetContext('alarmEmail'),
  // `-c directAccess=true` adds the path for the connection storm without the proxy.
  directAccess: ['true', true].includes(app.node.tryGetContext('directAccess')),
});
const domainName = app.node.tryGetContext('domainName');
new ApiGatewayLabStack(app, 'ApiGatewayLab', {
  alarmEmail: app.node.tryGetContext('alarmEmail'),
  // `-c domainName=api.example.com -c hostedZoneId=Z... -c hostedZoneName=example.com` adds the custom domain.
  domain: domainName ? { domainName, hostedZoneId: app.node.tryGetContext('hostedZoneId'), hostedZoneName: app.node.tryGetContext('hostedZoneName') } : undefined,
  executionLogs: ['true', true].includes(app.node.tryGetContext('executionLogs')),
});

// cdk-nag: unacknowledged findings are printed as errors and fail the synth.
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
Aspects.of(app).add(new ServerlessChecks({ verbose: true }));

app.synth();
