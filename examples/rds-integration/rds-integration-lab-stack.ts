import { CfnOutput, CustomResource, Duration, RemovalPolicy, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cr from 'aws-cdk-lib/custom-resources';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { CONNECTION_STORM_SETTINGS_VARIABLE, ConnectionStormSettings } from './connection-storm-settings';
import {
  APPLICATION_USER, BACKUP, DATABASE_NAME, DATABASE_PARAMETERS, INSTANCE_TYPE, MAINTENANCE_WINDOW, SCHEMA_VERSION, SLOW_QUERY_THRESHOLD,
} from './lab-database';
import { addLabDashboardWidgets, createItemsApiErrorsAlarm } from './lab-monitoring';
import { SCHEMA_MIGRATION_SETTINGS_VARIABLE, SchemaMigrationSettings } from './schema-migration-settings';
import { AlarmTopic, HandlerFunction, ProxiedDatabase } from '../../src';
import { bundledCode } from '../bundled-code';

/** Settings of the RDS integration lab. */
export interface RdsIntegrationLabProps extends StackProps {
  /**
   * An email address subscribed to the lab's alarm topic (confirm the subscription mail).
   * @default - alarms go to the topic only
   */
  readonly alarmEmail?: string;
  /**
   * Deploy the path for the "without the proxy" half of the connection-storm exercise: the
   * storm function may then also connect straight to the instance (its security group is
   * admitted there, and it may read the application user's secret). Off by default: then
   * only RDS Proxy and the rotation functions reach the instance.
   * @default false
   */
  readonly directAccess?: boolean;
}

// The password characters RDS-generated secrets avoid; rotation keeps to the same set.
const PASSWORD_EXCLUDE_CHARACTERS = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\';

/**
 * The RDS integration lab: MySQL 8.4 Multi-AZ behind RDS Proxy (ProxiedDatabase) with a
 * custom parameter group, explicit backup and maintenance windows, Performance Insights
 * and a dashboard; a schema migration that runs on every deploy (custom resource); an
 * items API (function URL with IAM auth) doing CRUD through the proxy as a least-privilege
 * application user; and a connection-storm function for the pooling and failover exercises.
 * No NAT gateway: the functions reach Secrets Manager through an interface endpoint, and IAM
 * database tokens are signed locally. Everything is deleted with the stack.
 */
export class RdsIntegrationLabStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly alarmTopic: sns.Topic;
  /** The lab's one key: the alarm topic, the database, its secrets and every log group. */
  public readonly encryptionKey: kms.IKey;
  public readonly database: ProxiedDatabase;
  /** The application user's credentials, registered with the proxy and rotated every 30 days. */
  public readonly applicationSecret: secretsmanager.ISecret;
  public readonly applicationSecretRotation: secretsmanager.SecretRotation;
  public readonly schemaMigration: CustomResource;
  public readonly schemaMigrationFunction: lambda.Function;
  public readonly itemsApiFunction: lambda.Function;
  public readonly itemsApiUrl: lambda.FunctionUrl;
  public readonly connectionStormFunction: lambda.Function;
  public readonly itemsApiErrorsAlarm: cloudwatch.Alarm;
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: RdsIntegrationLabProps = {}) {
    super(scope, id, { description: 'cdk-service-integration: RDS integration lab (MySQL Multi-AZ behind RDS Proxy, Lambda database operations)', ...props });
    const removalPolicy = RemovalPolicy.DESTROY;

    // One customer-managed key (USD 1 a month each) serves the whole lab: the alarm topic's
    // key also encrypts the database, its secrets and every log group.
    const alarms = new AlarmTopic(this, 'AlarmTopic', {
      displayName: 'RDS integration lab alarms',
      emailAddresses: props.alarmEmail ? [props.alarmEmail] : undefined,
      removalPolicy,
    });
    this.alarmTopic = alarms.topic;
    this.encryptionKey = alarms.encryptionKey;

    // Isolated subnets only: nothing here needs the internet, so there is no NAT gateway.
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    });
    // The database, given the key for its log groups, adds the statement that lets CloudWatch Logs use it.
    const flowLogs = new logs.LogGroup(this, 'VpcFlowLogs', { retention: logs.RetentionDays.ONE_WEEK, removalPolicy, encryptionKey: this.encryptionKey });
    this.vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) });
    const isolated: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    // The one AWS API the lab calls from inside the VPC: the rotation functions and the migration read secrets.
    const secretsManagerEndpoint = this.vpc.addInterfaceEndpoint('SecretsManager', { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, subnets: isolated });
    NagSuppressions.addResourceSuppressions(secretsManagerEndpoint, [{
      id: 'CdkNagValidationFailure',
      reason: 'AwsSolutions-EC23 cannot evaluate the endpoint\'s ingress rule because its source is the VPC CIDR (an attribute, not a literal): ' +
        'the rule admits HTTPS from inside the VPC only, never 0.0.0.0/0.',
    }], true);

    const applicationSecret = new rds.DatabaseSecret(this, 'ApplicationUserSecret', { username: APPLICATION_USER, encryptionKey: this.encryptionKey });

    this.database = new ProxiedDatabase(this, 'Database', {
      vpc: this.vpc,
      vpcSubnets: isolated,
      databaseName: DATABASE_NAME,
      instanceType: INSTANCE_TYPE,
      multiAz: true,
      parameters: DATABASE_PARAMETERS,
      backup: BACKUP,
      preferredMaintenanceWindow: MAINTENANCE_WINDOW,
      storage: { allocatedGiB: 20, maxAllocatedGiB: 30 },
      credentials: { secretsManagerEndpoint },
      proxy: { userSecrets: [applicationSecret] },
      monitoring: { slowQueryThreshold: SLOW_QUERY_THRESHOLD, dashboard: true },
      encryptionKey: this.encryptionKey,
      alarmTopic: this.alarmTopic,
      logRetention: logs.RetentionDays.ONE_WEEK,
      removalPolicy,
    });
    // host, port and engine in the secret: the rotation function logs in with it.
    this.applicationSecret = applicationSecret.attach(this.database.instance);

    const migrationSettings: SchemaMigrationSettings = { applicationUser: APPLICATION_USER, applicationSecretArn: applicationSecret.secretArn };
    this.schemaMigrationFunction = this.databaseFunction('SchemaMigrator', 'migrate', {
      description: 'Applies the RDS lab schema migrations and creates the application user (custom resource, through RDS Proxy as the master user)',
      dbUser: this.database.masterUsername,
      timeout: Duration.minutes(14),
      environment: {
        [SCHEMA_MIGRATION_SETTINGS_VARIABLE]: this.toJsonString(migrationSettings),
      },
      invokedBy: 'the CloudFormation custom resource provider, synchronously: a failure fails the deployment, which CloudFormation reports and rolls back',
    });
    applicationSecret.grantRead(this.schemaMigrationFunction);
    secretsManagerEndpoint.connections.allowDefaultPortFrom(this.schemaMigrationFunction, 'schema migration reads the application user secret');
    this.schemaMigration = this.createSchemaMigration(this.schemaMigrationFunction);

    this.applicationSecretRotation = new secretsmanager.SecretRotation(this, 'ApplicationUserRotation', {
      application: secretsmanager.SecretRotationApplication.MYSQL_ROTATION_SINGLE_USER,
      secret: this.applicationSecret,
      target: this.database.instance,
      vpc: this.vpc,
      vpcSubnets: isolated,
      endpoint: secretsManagerEndpoint,
      automaticallyAfter: Duration.days(30),
      excludeCharacters: PASSWORD_EXCLUDE_CHARACTERS,
      // The migration creates the user with the secret's first password while the stack deploys;
      // an immediate rotation could run before that user exists. The first rotation is in 30
      // days (or when the guide's exercise asks for one with rotate-secret).
      rotateImmediatelyOnUpdate: false,
    });

    this.itemsApiFunction = this.databaseFunction('ItemsApi', 'items-api', {
      description: 'RDS lab items API: CRUD on the items table through RDS Proxy as the application user (function URL, IAM auth)',
      dbUser: APPLICATION_USER,
      timeout: Duration.seconds(10),
      invokedBy: 'its function URL, synchronously: a failure is returned to the HTTP caller and nothing is queued',
    });
    this.itemsApiUrl = this.itemsApiFunction.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });

    this.connectionStormFunction = this.createConnectionStorm(props.directAccess ?? false, secretsManagerEndpoint);

    this.itemsApiErrorsAlarm = createItemsApiErrorsAlarm(this, this.itemsApiFunction, this.alarmTopic);
    this.dashboard = this.database.dashboard!;
    addLabDashboardWidgets(this.dashboard, {
      database: this.database,
      itemsApi: this.itemsApiFunction,
      connectionStorm: this.connectionStormFunction,
      alarms: [...this.database.alarms, this.itemsApiErrorsAlarm],
    });

    new CfnOutput(this, 'ItemsApiUrl', { value: this.itemsApiUrl.url, description: 'Items API (SigV4-signed requests only): /items, /items/{id}, /whoami' });
    new CfnOutput(this, 'ItemsApiFunctionName', { value: this.itemsApiFunction.functionName });
    new CfnOutput(this, 'ConnectionStormFunctionName', { value: this.connectionStormFunction.functionName });
    new CfnOutput(this, 'ProxyEndpoint', { value: this.database.proxyEndpoint });
    new CfnOutput(this, 'ProxyName', { value: this.database.proxy.dbProxyName });
    new CfnOutput(this, 'DbInstanceIdentifier', { value: this.database.instance.instanceIdentifier });
    new CfnOutput(this, 'DbiResourceId', { value: this.database.instance.instanceResourceId!, description: 'Performance Insights identifier (aws pi ... --identifier db-...)' });
    new CfnOutput(this, 'SlowQueryLogGroup', { value: this.database.slowQueryLogGroup.logGroupName });
    new CfnOutput(this, 'ApplicationUser', { value: APPLICATION_USER });
    new CfnOutput(this, 'ApplicationSecretArn', { value: this.applicationSecret.secretArn, description: 'The application user\'s secret (rotated every 30 days)' });
    new CfnOutput(this, 'DashboardName', { value: this.dashboard.dashboardName });
  }

  /**
   * The migration runs as a custom resource on every deploy that changes SCHEMA_VERSION (or
   * the application user): CloudFormation waits for it, so the API never meets an old schema,
   * and a failed migration fails (and rolls back) the deployment instead of going unnoticed.
   */
  private createSchemaMigration(onEvent: lambda.Function): CustomResource {
    const provider = new cr.Provider(this, 'SchemaMigrationProvider', {
      onEventHandler: onEvent,
      logGroup: new logs.LogGroup(this, 'SchemaMigrationProviderLogs', {
        retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY, encryptionKey: this.encryptionKey,
      }),
    });
    acknowledgeProviderFramework(provider);
    const migration = new CustomResource(this, 'SchemaMigration', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::SchemaMigration',
      properties: { SchemaVersion: SCHEMA_VERSION, ApplicationUser: APPLICATION_USER },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // After the whole database construct, proxy target included, not just the endpoint it reads.
    migration.node.addDependency(this.database);
    return migration;
  }

  /**
   * One client of the connection-storm exercise (scripts/connection-storm.sh invokes it N
   * times asynchronously). Through the proxy as the application user; with `directAccess`
   * also straight to the instance, for the comparison without the proxy.
   */
  private createConnectionStorm(directAccess: boolean, secretsManagerEndpoint: ec2.IInterfaceVpcEndpoint): lambda.Function {
    const storm = this.databaseFunction('ConnectionStorm', 'connection-storm', {
      description: 'RDS lab connection-storm client: holds one connection through RDS Proxy (or, in the direct exercise, to the instance)',
      dbUser: APPLICATION_USER,
      timeout: Duration.minutes(2),
      invokedBy: 'the exercise script, asynchronously with retries off: each client\'s outcome is the measurement and is read from its log and the ' +
        'dashboard; a failed client must not be retried or parked, it is the point of the exercise',
    });
    storm.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(5) });
    NagSuppressions.addResourceSuppressions(storm, [{
      id: 'Serverless-LambdaAsyncFailureDestination',
      reason: 'The exercise script invokes the storm client asynchronously on purpose; a failed client is the measurement (logged with its database error code ' +
        'and counted on the dashboard) and must not be retried or parked.',
    }], true);
    if (directAccess) {
      const instance = this.database.instance;
      const direct: ConnectionStormSettings = {
        instance: {
          host: instance.dbInstanceEndpointAddress,
          port: Token.asNumber(instance.dbInstanceEndpointPort),
          secretArn: this.applicationSecret.secretArn,
        },
      };
      storm.addEnvironment(CONNECTION_STORM_SETTINGS_VARIABLE, this.toJsonString(direct));
      instance.connections.allowDefaultPortFrom(storm, 'connection-storm exercise without the proxy (directAccess)');
      this.applicationSecret.grantRead(storm);
      secretsManagerEndpoint.connections.allowDefaultPortFrom(storm, 'connection storm reads the application user secret (directAccess)');
    }
    return storm;
  }

  /** A function on the db-query runtime that connects through the proxy as `dbUser` (IAM grant + network path). */
  private databaseFunction(id: string, bundle: string, options: {
    description: string; dbUser: string; timeout: Duration; invokedBy: string; environment?: { [key: string]: string };
  }): lambda.Function {
    // No outbound rule but those its grants add: the proxy on 3306 (and what the caller opens).
    const securityGroup = new ec2.SecurityGroup(this, `${id}SecurityGroup`, {
      vpc: this.vpc,
      description: `${id} function: outbound to RDS Proxy only, unless more is granted`,
      allowAllOutbound: false,
    });
    const handler = new HandlerFunction(this, id, {
      code: bundledCode(`examples/rds-integration/${bundle}`),
      codeName: `examples/rds-integration/${bundle}`,
      description: options.description,
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [securityGroup],
      timeout: options.timeout,
      logRetention: logs.RetentionDays.ONE_WEEK,
      encryptionKey: this.encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
      environment: { ...this.database.connectionEnvironment(options.dbUser), ...options.environment },
    });
    this.database.grantConnect(handler.function, options.dbUser);
    const reason = `Invoked only by ${options.invokedBy}.`;
    NagSuppressions.addResourceSuppressions(handler.function, [
      { id: 'Serverless-LambdaDLQ', reason },
      { id: 'Serverless-LambdaAsyncFailureDestination', reason },
    ]);
    return handler.function;
  }
}

/** The Provider framework's own function is CDK's, not the lab's: its findings are acknowledged with what it does. */
function acknowledgeProviderFramework(provider: cr.Provider): void {
  NagSuppressions.addResourceSuppressions(provider, [
    { id: 'AwsSolutions-IAM4', reason: 'The custom resource framework function of aws-cdk-lib uses AWSLambdaBasicExecutionRole to write its own logs; it has no other permission but invoking the migration function.' },
    { id: 'AwsSolutions-IAM5', reason: 'aws-cdk-lib grants the framework function lambda:InvokeFunction on the migration function and its versions (<arn>:*), nothing wider.' },
    { id: 'AwsSolutions-L1', reason: 'The runtime of the custom resource framework function is chosen and updated by aws-cdk-lib, not by the lab.' },
    { id: 'Serverless-LambdaDLQ', reason: 'Invoked synchronously by CloudFormation for the custom resource; CloudFormation reports a failure as a failed deployment.' },
    { id: 'Serverless-LambdaTracing', reason: 'The framework function of aws-cdk-lib offers no tracing option; the migration function it calls is traced.' },
    { id: 'Serverless-LambdaDefaultMemorySize', reason: 'The framework function of aws-cdk-lib only forwards the event to the migration function; its memory is aws-cdk-lib\'s choice.' },
    { id: 'Serverless-LambdaLatestVersion', reason: 'The runtime of the custom resource framework function is chosen and updated by aws-cdk-lib, not by the lab.' },
  ], true);
}
