// Resource types that add nothing to an idle hour: those with no charge of their own, and those
// billed only by use (with what drives their bill). A type in neither list, and not priced by a
// pricer, is reported as "not priced" — never counted as zero.
import { Pricer, Pricing } from './model';
import { PRICES } from './prices';
import { isRecord, literalString } from './template';

const { notCounted } = PRICES;

/** Types with no charge of their own: structure, permissions, wiring, deploy-time helpers. */
const FREE_TYPES: readonly string[] = [
  'AWS::CDK::Metadata',
  'AWS::CloudFormation::WaitCondition', 'AWS::CloudFormation::WaitConditionHandle',
  // identity
  'AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::InstanceProfile', 'AWS::IAM::ServiceLinkedRole',
  // VPC structure (NAT gateways, addresses and interface endpoints are priced)
  'AWS::EC2::VPC', 'AWS::EC2::VPCCidrBlock', 'AWS::EC2::Subnet', 'AWS::EC2::RouteTable', 'AWS::EC2::Route',
  'AWS::EC2::SubnetRouteTableAssociation', 'AWS::EC2::InternetGateway', 'AWS::EC2::VPCGatewayAttachment',
  'AWS::EC2::EgressOnlyInternetGateway', 'AWS::EC2::SecurityGroup', 'AWS::EC2::SecurityGroupIngress',
  'AWS::EC2::SecurityGroupEgress', 'AWS::EC2::NetworkAcl', 'AWS::EC2::NetworkAclEntry',
  'AWS::EC2::SubnetNetworkAclAssociation', 'AWS::EC2::LaunchTemplate',
  // containers (billed through the tasks they run)
  'AWS::ECS::ClusterCapacityProviderAssociations', 'AWS::ECS::TaskDefinition',
  'AWS::ApplicationAutoScaling::ScalableTarget', 'AWS::ApplicationAutoScaling::ScalingPolicy',
  'AWS::ServiceDiscovery::HttpNamespace',
  // load balancer configuration (billed through the load balancer)
  'AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancingV2::ListenerRule',
  'AWS::ElasticLoadBalancingV2::ListenerCertificate', 'AWS::ElasticLoadBalancingV2::TargetGroup',
  // messaging and function wiring
  'AWS::SNS::Subscription', 'AWS::SNS::TopicPolicy', 'AWS::SNS::TopicInlinePolicy',
  'AWS::SQS::QueuePolicy', 'AWS::SQS::QueueInlinePolicy',
  'AWS::Lambda::Permission', 'AWS::Lambda::EventSourceMapping', 'AWS::Lambda::Url', 'AWS::Lambda::LayerVersion',
  'AWS::Lambda::LayerVersionPermission', 'AWS::Lambda::EventInvokeConfig',
  'AWS::Events::Rule', 'AWS::Events::Connection', 'AWS::Scheduler::ScheduleGroup', 'AWS::StepFunctions::Activity',
  'AWS::Lambda::CodeSigningConfig',
  // logs and alarms configuration
  'AWS::Logs::MetricFilter', 'AWS::Logs::SubscriptionFilter', 'AWS::Logs::ResourcePolicy',
  // databases (billed through the instance and proxy)
  'AWS::RDS::DBSubnetGroup', 'AWS::RDS::DBParameterGroup', 'AWS::RDS::DBClusterParameterGroup',
  'AWS::RDS::OptionGroup', 'AWS::RDS::DBProxyTargetGroup',
  'AWS::SecretsManager::SecretTargetAttachment', 'AWS::SecretsManager::RotationSchedule', 'AWS::SecretsManager::ResourcePolicy',
  'AWS::KMS::Alias', 'AWS::SSM::Parameter',
  // APIs (billed per request through the API)
  'AWS::ApiGateway::Account', 'AWS::ApiGateway::Resource', 'AWS::ApiGateway::Method', 'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Authorizer', 'AWS::ApiGateway::Model', 'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGateway::UsagePlan', 'AWS::ApiGateway::UsagePlanKey', 'AWS::ApiGateway::ApiKey',
  'AWS::ApiGateway::GatewayResponse', 'AWS::ApiGateway::BasePathMapping', 'AWS::ApiGateway::DomainName',
  'AWS::ApiGateway::ClientCertificate', 'AWS::ApiGateway::VpcLink',
  'AWS::ApiGatewayV2::Stage', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::RouteResponse',
  'AWS::ApiGatewayV2::Integration', 'AWS::ApiGatewayV2::IntegrationResponse', 'AWS::ApiGatewayV2::Authorizer',
  'AWS::ApiGatewayV2::Deployment', 'AWS::ApiGatewayV2::ApiMapping', 'AWS::ApiGatewayV2::DomainName',
  'AWS::ApiGatewayV2::Model', 'AWS::ApiGatewayV2::VpcLink',
  'AWS::WAFv2::WebACLAssociation', 'AWS::WAFv2::IPSet', 'AWS::WAFv2::RegexPatternSet',
  // a rule group is billed as a rule of the web ACL that uses it
  'AWS::WAFv2::RuleGroup',
  'AWS::CertificateManager::Certificate', 'AWS::Route53::RecordSet', 'AWS::Route53::RecordSetGroup',
  'AWS::Cognito::UserPoolClient', 'AWS::Cognito::UserPoolDomain', 'AWS::Cognito::UserPoolResourceServer',
  'AWS::Cognito::UserPoolGroup', 'AWS::Cognito::IdentityPool', 'AWS::Cognito::IdentityPoolRoleAttachment',
  'AWS::IoT::Policy', 'AWS::IoT::PolicyPrincipalAttachment', 'AWS::IoT::Thing', 'AWS::IoT::ThingPrincipalAttachment',
  'AWS::IoT::Certificate', 'AWS::IoT::Authorizer',
  'AWS::S3::BucketPolicy',
];

/** Types billed only by use, with what drives their bill. */
const USAGE_DRIVERS: Readonly<Record<string, string>> = {
  'AWS::Lambda::Function': 'requests and GB-seconds of duration',
  'AWS::Serverless::Application': 'the functions of the nested application (requests, duration)',
  'AWS::SQS::Queue': 'requests, counted in 64 KB chunks',
  'AWS::SNS::Topic': 'published messages and deliveries',
  'AWS::StepFunctions::StateMachine': 'state transitions (standard) or requests and duration (express)',
  'AWS::Events::EventBus': 'custom events published',
  'AWS::Events::Archive': 'GB of events archived and stored',
  'AWS::Scheduler::Schedule': 'scheduled invocations',
  'AWS::Pipes::Pipe': 'events processed',
  'AWS::ApiGateway::RestApi': 'API calls (per million) and data out',
  'AWS::ApiGatewayV2::Api': 'API calls, or WebSocket messages and connection minutes',
  'AWS::Logs::LogGroup': notCounted.logs.driver,
  'AWS::EC2::FlowLog': 'flow-log records delivered as vended logs',
  'AWS::S3::Bucket': notCounted.s3.driver,
  'AWS::ECR::Repository': 'GB-months of images stored',
  'AWS::ServiceDiscovery::Service': 'instances registered and discovery API calls',
  'AWS::ServiceDiscovery::Instance': 'instances registered and discovery API calls',
  'AWS::Events::ApiDestination': 'invocations of the destination',
  'AWS::Cognito::UserPool': 'monthly active users',
  'AWS::IoT::TopicRule': 'rules triggered and actions run',
  'AWS::KinesisFirehose::DeliveryStream': 'GB ingested',
  'AWS::CloudTrail::Trail': 'events delivered beyond the first management-event trail',
  'AWS::XRay::Group': 'traces recorded and scanned',
  'AWS::XRay::SamplingRule': 'traces recorded and scanned',
};

/** A Lambda alias or version is free unless it keeps provisioned concurrency warm. */
const priceLambdaAliasOrVersion: Pricer = (r): Pricing => r.properties.ProvisionedConcurrencyConfig === undefined
  ? { kind: 'free' }
  : { kind: 'not-priced', reason: 'provisioned concurrency bills while idle and has no price in the table' };

/** An on-demand table bills by request and storage; provisioned capacity bills by the hour. */
const priceDynamoDbTable: Pricer = (r): Pricing => {
  const mode = literalString(r.properties.BillingMode) ?? 'PROVISIONED';
  return mode === 'PAY_PER_REQUEST'
    ? { kind: 'usage', driver: notCounted.dynamoDbOnDemand.driver }
    : { kind: 'not-priced', reason: `billing mode ${mode} bills capacity by the hour and has no price in the table` };
};

/** A cluster is free; with Container Insights on, it feeds metrics and logs billed by use. */
const priceEcsCluster: Pricer = (r): Pricing => {
  const settings = Array.isArray(r.properties.ClusterSettings) ? r.properties.ClusterSettings.filter(isRecord) : [];
  const insights = settings.find((s) => s.Name === 'containerInsights')?.Value;
  return insights === 'enabled' || insights === 'enhanced'
    ? { kind: 'usage', driver: notCounted.containerInsights.driver }
    : { kind: 'free' };
};

/** Pricers for the types above, by CloudFormation type. */
export const RESOURCE_KIND_PRICERS: Readonly<Record<string, Pricer>> = {
  ...Object.fromEntries(FREE_TYPES.map((type) => [type, (): Pricing => ({ kind: 'free' })])),
  ...Object.fromEntries(Object.entries(USAGE_DRIVERS).map(([type, driver]) => [type, (): Pricing => ({ kind: 'usage', driver })])),
  'AWS::Lambda::Alias': priceLambdaAliasOrVersion,
  'AWS::Lambda::Version': priceLambdaAliasOrVersion,
  'AWS::DynamoDB::Table': priceDynamoDbTable,
  'AWS::DynamoDB::GlobalTable': priceDynamoDbTable,
  'AWS::ECS::Cluster': priceEcsCluster,
};

/** Custom resources run a function once per deployment: no idle charge. */
export function isCustomResource(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}
