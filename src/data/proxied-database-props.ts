import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { LifecycleProps, ObservabilityProps } from '../core/shared-props';

/** Storage of a {@link ProxiedDatabase} (gp3, autoscaling). */
export interface DatabaseStorageOptions {
  /**
   * Initial storage in GiB (20 to 65536).
   * @default 20
   */
  readonly allocatedGiB?: number;
  /**
   * Storage autoscaling ceiling in GiB (at least allocatedGiB).
   * @default - 100, or allocatedGiB when that is larger
   */
  readonly maxAllocatedGiB?: number;
}

/** Automated backups of a {@link ProxiedDatabase}. */
export interface DatabaseBackupOptions {
  /**
   * How long automated backups are kept (1 to 35 whole days).
   * @default Duration.days(7)
   */
  readonly retention?: Duration;
  /**
   * Daily backup window, UTC `hh24:mi-hh24:mi`, at least 30 minutes.
   * @default '03:00-04:00'
   */
  readonly preferredWindow?: string;
}

/** The generated master secret of a {@link ProxiedDatabase}. */
export interface DatabaseCredentialOptions {
  /**
   * User name of the generated master secret.
   * @default 'dbadmin'
   */
  readonly masterUsername?: string;
  /**
   * Single-user rotation interval of the master secret (1 to 365 days).
   * @default Duration.days(30)
   */
  readonly rotation?: Duration;
  /**
   * Interface endpoint for Secrets Manager used by the rotation function. Needed when the subnets
   * have no route to Secrets Manager and the endpoint has no private DNS.
   * @default - the public Secrets Manager endpoint (private DNS of an existing endpoint also works)
   */
  readonly secretsManagerEndpoint?: ec2.IInterfaceVpcEndpoint;
}

/** The connection pool of the RDS Proxy in front of a {@link ProxiedDatabase}. */
export interface DatabaseProxyOptions {
  /**
   * Share of max_connections the proxy may open (1-100).
   * @default 90
   */
  readonly maxConnectionsPercent?: number;
  /**
   * Share of max_connections the proxy keeps open while idle (0-maxConnectionsPercent).
   * @default - 50, or maxConnectionsPercent when that is smaller
   */
  readonly maxIdleConnectionsPercent?: number;
  /**
   * How long a client waits for a pooled connection when the pool is exhausted (1 s - 1 h).
   * @default Duration.seconds(30)
   */
  readonly borrowTimeout?: Duration;
  /**
   * The proxy closes client connections idle for this long (1 min - 8 h).
   * @default Duration.minutes(30)
   */
  readonly idleClientTimeout?: Duration;
  /**
   * Statements the proxy runs on each new database connection: the place for session settings.
   * @default - none
   */
  readonly initQuery?: string;
  /**
   * Secrets of further database users the proxy may log in as (one per application user, `username` and `password` keys).
   * The master secret is always registered.
   * @default - none
   */
  readonly userSecrets?: secretsmanager.ISecret[];
}

/** What a {@link ProxiedDatabase} records about itself beyond its alarms. */
export interface DatabaseMonitoringOptions {
  /**
   * Statements slower than this go to the slow query log (exported to CloudWatch Logs).
   * @default Duration.seconds(1)
   */
  readonly slowQueryThreshold?: Duration;
  /**
   * Enhanced Monitoring interval (1, 5, 10, 15, 30 or 60 seconds).
   * @default Duration.seconds(60)
   */
  readonly enhancedMonitoringInterval?: Duration;
  /**
   * Create a CloudWatch dashboard.
   * @default false
   */
  readonly dashboard?: boolean;
}

/** When the alarms of a {@link ProxiedDatabase} fire. */
export interface DatabaseAlarmThresholds {
  /**
   * Average CPU, in percent, for 15 minutes.
   * @default 80
   */
  readonly cpuPercent?: number;
  /**
   * Free storage, in GiB.
   * @default - 10% of the allocated storage
   */
  readonly freeStorageGiB?: number;
  /**
   * Share, in percent, of the connections the proxy may open that it uses, for 15 minutes.
   * @default 90
   */
  readonly proxyConnectionsPercent?: number;
  /**
   * Sessions that stay pinned (average over 15 minutes).
   * @default 1
   */
  readonly pinnedSessions?: number;
}

/** Properties of a {@link ProxiedDatabase}. */
export interface ProxiedDatabaseProps extends ObservabilityProps, LifecycleProps {
  /** The VPC of the database and the proxy. Clients reach the proxy from inside it. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the database, the proxy and the rotation function; public subnets are refused.
   * @default - the VPC's isolated subnets, or its private subnets with egress when it has no isolated ones
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** Name of the database created in the instance (letters, digits, `_`; starts with a letter). */
  readonly databaseName: string;
  /**
   * Instance class. Performance Insights is turned on where the class supports it (not on micro/small burstable classes).
   * @default db.t4g.medium - the smallest Graviton burstable class with Performance Insights for MySQL
   */
  readonly instanceType?: ec2.InstanceType;
  /**
   * A standby in a second Availability Zone with automatic failover.
   * @default true
   */
  readonly multiAz?: boolean;
  /**
   * MySQL 8.4 engine version.
   * @default rds.MysqlEngineVersion.VER_8_4_8
   */
  readonly engineVersion?: rds.MysqlEngineVersion;
  /**
   * Port of the instance. Clients never see it: the proxy's MySQL endpoint always listens on 3306.
   * @default 3306
   */
  readonly instancePort?: number;
  /**
   * DB instance identifier. Fixed so that the exported log groups can be created (with retention)
   * before the instance; changes that replace the instance need a new identifier.
   * @default - derived from the construct path, unique per stack
   */
  readonly instanceIdentifier?: string;
  /**
   * Weekly maintenance window, UTC `ddd:hh24:mi-ddd:hh24:mi`: at least 30 minutes, not
   * overlapping the daily backup window.
   * @default 'sun:04:30-sun:05:30'
   */
  readonly preferredMaintenanceWindow?: string;
  /**
   * Further MySQL parameters for the instance's parameter group (family `mysql8.4`), as
   * strings, e.g. `{ max_connections: '200', innodb_lock_wait_timeout: '10' }`. The construct
   * sets `slow_query_log`, `long_query_time` (from `monitoring.slowQueryThreshold`),
   * `log_output` and `require_secure_transport` itself and refuses them here. Names are
   * checked for shape only: RDS refuses unknown names and invalid values when the stack deploys.
   * @default - only the parameters the construct sets
   */
  readonly parameters?: { [name: string]: string };
  /**
   * Storage size and autoscaling.
   * @default - the default of each of its settings
   */
  readonly storage?: DatabaseStorageOptions;
  /**
   * Automated backups.
   * @default - the default of each of its settings
   */
  readonly backup?: DatabaseBackupOptions;
  /**
   * The generated master secret and its rotation.
   * @default - the default of each of its settings
   */
  readonly credentials?: DatabaseCredentialOptions;
  /**
   * The proxy's connection pool.
   * @default - the default of each of its settings
   */
  readonly proxy?: DatabaseProxyOptions;
  /**
   * Slow query log, Enhanced Monitoring and dashboard.
   * @default - the default of each of its settings
   */
  readonly monitoring?: DatabaseMonitoringOptions;
  /**
   * When the alarms fire.
   * @default - the default of each of its settings
   */
  readonly alarmThresholds?: DatabaseAlarmThresholds;
}
