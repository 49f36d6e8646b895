#!/usr/bin/env node
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ApiGatewayLabStack } from './api-gateway/api-gateway-lab-stack';
import { CrossServiceLabStack } from './cross-service/cross-service-lab-stack';
import { EcsOrchestrationLabStack } from './ecs-orchestration/ecs-orchestration-lab-stack';
import { IotPlatformStack } from './iot-platform/iot-platform-stack';
import { iotPlatformSettingsFromContext } from './iot-platform/lab-settings';
import { LambdaIntegrationLabStack } from './lambda-integration/lambda-integration-lab-stack';
import { RdsIntegrationLabStack } from './rds-integration/rds-integration-lab-stack';
import { SmokeStack } from './smoke/smoke-stack';

// Every lab stack of the project, synthesized offline by `npx cdk synth`. Stacks are
// environment-agnostic (no account/region, no context lookups), so no AWS call is made.
const app = new App();

new SmokeStack(app, 'PipelineSmoke');
new CrossServiceLabStack(app, 'CrossServiceLab', { alarmEmail: app.node.tryGetContext('alarmEmail') });
new LambdaIntegrationLabStack(app, 'LambdaIntegrationLab', {
  alarmEmail: app.node.tryGetContext('alarmEmail'),
  approverEmail: app.node.tryGetContext('approverEmail'),
  placeOrderProvisionedConcurrency: Number(app.node.tryGetContext('placeOrderProvisionedConcurrency') ?? 0),
});
new EcsOrchestrationLabStack(app, 'EcsOrchestrationLab', {
  alarmEmail: app.node.tryGetContext('alarmEmail'),
  // The guide's deployment exercises: `-c webVersion=v2`, `-c webFailurePercent=100`, ...
  webVersion: app.node.tryGetContext('webVersion'),
  webFailurePercent: numberContext(app, 'webFailurePercent'),
  apiVersion: app.node.tryGetContext('apiVersion'),
  apiFailurePercent: numberContext(app, 'apiFailurePercent'),
});
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
// `-c meshTls=on`, `-c auditDataEvents=on`, `-c waf=off`, a custom domain with mutual TLS
// (`-c domainName=... -c hostedZoneId=... -c hostedZoneName=... -c truststoreFile=ca.pem`), ...
new IotPlatformStack(app, 'IotPlatform', {
  ...iotPlatformSettingsFromContext(app),
  deviceServiceVersion: app.node.tryGetContext('deviceServiceVersion'),
});

// cdk-nag: unacknowledged findings are printed as errors and fail the synth.
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
Aspects.of(app).add(new ServerlessChecks({ verbose: true }));

app.synth();

/** A numeric `-c name=value`, or undefined when absent; anything else stops the synth. */
function numberContext(scope: App, name: string): number | undefined {
  const value = scope.node.tryGetContext(name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new Error(`-c ${name} must be a number between 0 and 100, got ${JSON.stringify(value)}`);
  return n;
}
