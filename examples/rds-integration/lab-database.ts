import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

// How the lab sizes and configures its database, with the reasons a learner reads in the
// guide. Everything here is a ProxiedDatabase prop; nothing reaches inside the construct.

/** The database the migration creates its tables in. */
export const DATABASE_NAME = 'inventory';

/** The application's MySQL user: the items API and the storm connect as it, never as the master user. */
export const APPLICATION_USER = 'inventory_app';

/**
 * db.t4g.medium: the smallest Graviton class that Performance Insights (and CloudWatch
 * Database Insights) supports for RDS for MySQL - db.t4g.micro and db.t4g.small are excluded.
 * It is burstable: 2 vCPUs at a 20 % baseline, which an idle lab stays far below.
 */
export const INSTANCE_TYPE = ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM);

/**
 * The custom parameters a learner looks at (on top of what ProxiedDatabase sets:
 * require_secure_transport=1, slow_query_log=1, long_query_time, log_output=FILE).
 */
export const DATABASE_PARAMETERS: { [name: string]: string } = {
  // RDS would allow about {DBInstanceClassMemory/12582880} (some 300 on 4 GiB). 100 keeps the
  // connection-storm exercise small: the proxy may open 90 of them (maxConnectionsPercent 90),
  // so 150 busy clients queue at the proxy, and 150 clients straight to the instance are
  // refused past 100 with "Too many connections".
  max_connections: '100',
  // Explicit, so it stays on whatever Performance Insights manages; static: applied at creation.
  performance_schema: '1',
  // A row lock wait ends in 5 s, before the items API's 10 s invocation would be cut off.
  innodb_lock_wait_timeout: '5',
};

/** Statements slower than this land in the slow query log (exported to CloudWatch Logs). */
export const SLOW_QUERY_THRESHOLD = Duration.millis(500);

/** Daily backups at 03:00-03:30 UTC, kept 7 days: the point-in-time restore exercise needs at least one. */
export const BACKUP = { retention: Duration.days(7), preferredWindow: '03:00-03:30' };

/** Weekly maintenance (minor version upgrades, OS patches) after the backup window, Sunday 04:00-04:30 UTC. */
export const MAINTENANCE_WINDOW = 'sun:04:00-sun:04:30';

/** The schema version the migration reaches; bumping it re-runs the migration custom resource on the next deploy. */
export const SCHEMA_VERSION = 2;
