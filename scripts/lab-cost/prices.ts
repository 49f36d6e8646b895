// The price table of the lab cost report: us-east-1, on-demand list prices, in US dollars.
//
// Every figure names the page it was read from and the day it was read. Nothing here was
// fetched live: the pages were read from stored copies on the day given, and a figure that no
// page confirmed is marked `unconfirmed` rather than guessed. `confirmation` says how far to
// trust each figure:
//   aws          the figure appears in AWS's own text (an AWS page, or a verbatim transcription of one)
//   third-party  only pages of third parties that state the us-east-1 list price carry it
//   unconfirmed  no page confirmed it for us-east-1; the report flags every line that uses it
// Monthly fees are turned into hourly ones with HOURS_PER_MONTH, AWS's own billing month.

/** Hours in the month AWS prices monthly fees against (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** The day the figures below were read. */
export const PRICES_READ = '2026-12-03';

/** How far a figure is confirmed; see the file comment. */
export type Confirmation = 'aws' | 'third-party' | 'unconfirmed';

/** One list price, with where it came from. */
export interface Price {
  /** US dollars per `unit` per `period`. */
  readonly usd: number;
  readonly period: 'hour' | 'month';
  /** What one unit is, e.g. `vCPU`, `NAT gateway`, `GB of storage`. */
  readonly unit: string;
  /** The page the figure was read from. */
  readonly source: string;
  /** The day it was read (ISO date). */
  readonly read: string;
  readonly confirmation: Confirmation;
  /** What else backs the figure, or why it is less than certain. */
  readonly note?: string;
}

/** A charge billed by use that the report names but does not add to the idle hour. */
export interface NotCounted {
  /** What drives the bill, as the report lists it. */
  readonly driver: string;
  /** Why it is left out of the idle hour. */
  readonly reason: string;
  readonly source?: string;
  readonly read: string;
}

/** Fargate Spot price as a share of the on-demand price: AWS publishes a floating rate, so a range. */
export interface SpotShare {
  /** Lowest share of the on-demand price (the deepest discount). */
  readonly low: number;
  /** Highest share, used for budgets so they never rest on the cheap end. */
  readonly high: number;
  readonly source: string;
  readonly read: string;
  readonly confirmation: Confirmation;
  readonly note: string;
}

const read = PRICES_READ;

const hour = (usd: number, unit: string, source: string, confirmation: Confirmation, note?: string): Price =>
  ({ usd, period: 'hour', unit, source, read, confirmation, note });
const month = (usd: number, unit: string, source: string, confirmation: Confirmation, note?: string): Price =>
  ({ usd, period: 'month', unit, source, read, confirmation, note });

const VANTAGE_FARGATE = 'https://www.vantage.sh/blog/fargate-pricing';
const FORTEM_FARGATE_SPOT = 'https://fortem.dev/fargate-spot/';
const COST_RULES = 'https://github.com/srdjanrist/get-infra-done/blob/main/references/cost-rules.md';
const ELB_PAGE_TRANSCRIPT = 'https://raw.githubusercontent.com/api-evangelist/amazon-elastic-load-balancing/refs/heads/main/plans/amazon-elastic-load-balancing-plans-pricing.yml';
const INFRATALLY_RDS = 'https://infratally.com/articles/aws-rds-pricing-explained-2026.html';
const RDS_MULTI_AZ_DOC = 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_OnDemandDBInstances.html';
const API_CACHE_TABLE = 'https://github.com/i05nagai/memorandum/blob/master/cloud/aws/amazon_api_gateway.md';
const C3X_ALARMS = 'https://c3x.dev/resources/aws/aws_cloudwatch_metric_alarm';

const RDS_T4G_NOTE = 'The us-east-1 table on this page is for PostgreSQL; the same figures are listed for MySQL (us-west-2, 2024-02-02) '
  + 'in HashiCorp terraform-provider-aws RDS test fixtures. Multi-AZ is 2 × Single-AZ: AWS bills the primary and the standby '
  + `per instance-hour (${RDS_MULTI_AZ_DOC}).`;

/** An RDS instance class: its vCPUs (what RDS Proxy bills on) and its hourly prices. */
export interface RdsInstanceClass {
  readonly vcpus: number;
  readonly singleAz: Price;
  readonly multiAz: Price;
}

const rdsClass = (vcpus: number, singleAzUsd: number, confirmation: Confirmation, source: string, note: string): RdsInstanceClass => ({
  vcpus,
  singleAz: hour(singleAzUsd, 'Single-AZ DB instance', source, confirmation, note),
  multiAz: hour(Math.round(singleAzUsd * 2 * 1e6) / 1e6, 'Multi-AZ DB instance (primary + standby)', source, confirmation, note),
});

/** The price table. */
export const PRICES = {
  fargate: {
    x86: {
      vcpu: hour(0.04048, 'vCPU', VANTAGE_FARGATE, 'third-party',
        'Same figure in AWS\'s own ECS pricing example ("$0.000011244 per vCPU second", Linux/x86, US East), transcribed at '
        + 'https://raw.githubusercontent.com/api-evangelist/amazon-ecs/refs/heads/main/plans/amazon-ecs-plans-pricing.yml; '
        + 'the AWS Fargate page renders its table dynamically, so its stored copy has no figures.'),
      memoryGb: hour(0.004445, 'GB of memory', VANTAGE_FARGATE, 'third-party', `Same figure in ${COST_RULES}.`),
    },
    arm64: {
      vcpu: hour(0.03238, 'vCPU', VANTAGE_FARGATE, 'third-party', `Same figure in ${FORTEM_FARGATE_SPOT} (checked against the AWS page in June 2026).`),
      memoryGb: hour(0.00356, 'GB of memory', VANTAGE_FARGATE, 'third-party', `Same figure in ${FORTEM_FARGATE_SPOT}.`),
    },
    /** Ephemeral storage beyond the 20 GB every task gets free. */
    extraEphemeralGb: hour(0.000111, 'GB of ephemeral storage above 20 GB', VANTAGE_FARGATE, 'third-party'),
    spot: {
      low: 0.30,
      high: 0.50,
      source: 'https://aws.amazon.com/fargate/pricing/',
      read,
      confirmation: 'third-party',
      note: 'AWS: Fargate Spot runs "at up to a 70% discount off the regular Fargate price" (the low end, 30 % of on-demand). '
        + `The high end (a 50 % discount) is from ${FORTEM_FARGATE_SPOT}: "50–70% off, 70% is the ceiling, not the typical case". `
        + 'Spot runs X86_64 tasks only (https://docs.aws.amazon.com/AmazonECS/latest/userguide/fargate-capacity-providers.html).',
    } satisfies SpotShare,
  },
  network: {
    natGateway: hour(0.045, 'NAT gateway', COST_RULES, 'third-party',
      'Data processing ($0.045/GB) is usage-priced. The AWS VPC pricing page shows $0.045 per hour in its US East (Ohio) example '
      + '(https://raw.githubusercontent.com/api-evangelist/amazon-vpc/refs/heads/main/plans/amazon-vpc-plans-pricing.yml).'),
    publicIpv4: hour(0.005, 'public IPv4 address', 'https://www.doit.com/aws-public-ipv4-price-increase-the-complete-guide/', 'third-party',
      'Charged for every AWS-provided public IPv4 address, in use or idle, since 2024-02-01 '
      + '(https://aws.amazon.com/blogs/networking-and-content-delivery/identify-and-optimize-public-ipv4-address-usage-on-aws/).'),
    interfaceEndpointAz: hour(0.01, 'interface VPC endpoint in one AZ', 'https://awsnegotiations.com/privatelink-cost-analysis.html', 'third-party',
      'AWS bills "each hour that your VPC endpoint remains provisioned in each Availability Zone" (https://aws.amazon.com/privatelink/pricing/); '
      + `the figure is from third parties (also ${COST_RULES}). Data processing ($0.01/GB) is usage-priced.`),
    alb: hour(0.0225, 'Application Load Balancer', 'https://aws.amazon.com/elasticloadbalancing/pricing/', 'aws',
      `Read in the page's US-East-1 pricing example, transcribed verbatim at ${ELB_PAGE_TRANSCRIPT}.`),
    albLcu: hour(0.008, 'ALB load balancer capacity unit (LCU)', 'https://aws.amazon.com/elasticloadbalancing/pricing/', 'aws',
      `Read in the page's US-East-1 pricing example, transcribed verbatim at ${ELB_PAGE_TRANSCRIPT}.`),
  },
  /** LCUs an idle ALB is billed for. AWS bills the LCUs used and states no minimum. */
  albIdleLcuFloor: 0,
  rds: {
    /** RDS for MySQL, on-demand, by instance class. */
    mysql: {
      'db.t4g.micro': rdsClass(2, 0.016, 'third-party', INFRATALLY_RDS, RDS_T4G_NOTE),
      'db.t4g.small': rdsClass(2, 0.032, 'third-party', INFRATALLY_RDS, RDS_T4G_NOTE),
      'db.t4g.medium': rdsClass(2, 0.065, 'third-party', INFRATALLY_RDS, RDS_T4G_NOTE),
      'db.m7g.large': rdsClass(2, 0.168, 'unconfirmed', 'https://github.com/hashicorp/terraform-provider-aws/tree/main/internal/service/rds',
        'A us-west-2 MySQL list price of 2024-02-02 (HashiCorp terraform-provider-aws RDS test fixtures); no page read here confirms '
        + `the us-east-1 figure. Multi-AZ is 2 × Single-AZ (${RDS_MULTI_AZ_DOC}).`),
    } as Readonly<Record<string, RdsInstanceClass>>,
    /** General Purpose SSD storage (gp2 and gp3 carry the same price); Multi-AZ stores it twice. */
    storage: {
      singleAz: month(0.115, 'GB of gp2/gp3 storage, Single-AZ', 'https://www.usage.ai/blogs/aws/reserved-instances/rds/pricing-calculator/', 'third-party',
        `Same figure in ${COST_RULES}. gp3 includes 3,000 IOPS and 125 MB/s; backup storage up to the provisioned size is free.`),
      multiAz: month(0.23, 'GB of gp2/gp3 storage, Multi-AZ', RDS_MULTI_AZ_DOC, 'third-party',
        'AWS: storage is "charged per GB-month for the storage provisioned for both the primary and standby"; 2 × the Single-AZ figure.'),
    },
    proxyVcpu: hour(0.015, 'vCPU of the proxy\'s target instance', 'https://aws.amazon.com/rds/proxy/pricing/', 'third-party',
      'Not in the offline store; quoted ("$0.015 per vCPU-hour of the underlying instance", fetched 2026-07-28, "minimum 2 vCPU") in '
      + 'public engineering notes found by full-text search. No separate charge for a Multi-AZ standby.'),
    /** The fewest vCPUs RDS Proxy bills for one provisioned target. */
    proxyMinimumVcpus: 2,
  },
  monthly: {
    kmsKey: month(1.0, 'customer managed KMS key', 'https://cloudburn.io/blog/aws-kms-pricing', 'third-party',
      'Sourced by the page from the AWS KMS pricing page (March 2026); also https://www.wring.co/blog/aws-kms-pricing-guide. '
      + 'Requests beyond 20,000 a month are usage-priced.'),
    alarmMetric: month(0.10, 'standard-resolution alarm metric', C3X_ALARMS, 'third-party',
      'AWS\'s free tier (10 alarm metrics) is not applied: accounts differ.'),
    highResolutionAlarmMetric: month(0.30, 'high-resolution alarm metric', C3X_ALARMS, 'third-party'),
    compositeAlarm: month(0.50, 'composite alarm', C3X_ALARMS, 'third-party'),
    dashboard: month(3.0, 'CloudWatch dashboard', 'https://www.factualminds.com/blog/amazon-cloudwatch-pricing-metrics-logs-alarms-dashboards/', 'third-party',
      'AWS\'s free tier (3 dashboards of up to 50 metrics, https://aws.amazon.com/cloudwatch/pricing/) is not applied: accounts differ.'),
    secret: month(0.40, 'Secrets Manager secret (each replica counts)', 'https://aws.amazon.com/secrets-manager/pricing/', 'aws',
      'Read in the page\'s pricing example, transcribed verbatim at '
      + 'https://raw.githubusercontent.com/api-evangelist/amazon-secrets-manager/refs/heads/main/plans/amazon-secrets-manager-plans-pricing.yml. '
      + 'API calls ($0.05 per 10,000) are usage-priced.'),
    wafWebAcl: month(5.0, 'WAF web ACL', 'https://c3x.dev/blog/aws-waf-cost-explained/', 'third-party',
      'Also https://awsnegotiations.com/waf-pricing-strategy.html. AWS: WAF pricing is the same in every Region '
      + '(https://aws.amazon.com/blogs/networking-and-content-delivery/cost-effective-ways-for-securing-your-web-applications-using-aws-waf/). '
      + 'Requests ($0.60 per million) are usage-priced.'),
    wafRule: month(1.0, 'WAF rule or rule group in a web ACL', 'https://c3x.dev/blog/aws-waf-cost-explained/', 'third-party'),
    hostedZone: month(0.50, 'Route 53 hosted zone (first 25)', 'https://eatsip365.com/understanding-how-route-53-billing-works', 'third-party',
      'Queries are usage-priced.'),
    privateCaGeneralPurpose: month(400, 'AWS Private CA, general-purpose mode', 'https://aws.amazon.com/private-ca/pricing/', 'aws',
      'Certificates issued and OCSP are usage-priced; the first CA of an account gets a 30-day trial that is not applied here.'),
    privateCaShortLived: month(50, 'AWS Private CA, short-lived certificate mode', 'https://aws.amazon.com/private-ca/pricing/', 'aws'),
  },
  /** API Gateway REST API cache, by CacheClusterSize (GB). Not in the AWS free tier. */
  apiGatewayCache: {
    0.5: hour(0.02, 'API Gateway cache of 0.5 GB', API_CACHE_TABLE, 'third-party',
      'The note quotes https://aws.amazon.com/api-gateway/pricing/ (US prices: $3.50 per million REST calls). The 0.5 GB figure '
      + 'matches "$14.60 a month in the us-east-1 region" (https://tmmr.uk/post/api-gateway/api-gateway-cache/).'),
    1.6: hour(0.038, 'API Gateway cache of 1.6 GB', API_CACHE_TABLE, 'third-party'),
    6.1: hour(0.2, 'API Gateway cache of 6.1 GB', API_CACHE_TABLE, 'third-party'),
    13.5: hour(0.25, 'API Gateway cache of 13.5 GB', API_CACHE_TABLE, 'third-party'),
    28.4: hour(0.5, 'API Gateway cache of 28.4 GB', API_CACHE_TABLE, 'third-party'),
    58.2: hour(1.0, 'API Gateway cache of 58.2 GB', API_CACHE_TABLE, 'third-party'),
    118: hour(1.9, 'API Gateway cache of 118 GB', API_CACHE_TABLE, 'third-party'),
    237: hour(3.8, 'API Gateway cache of 237 GB', API_CACHE_TABLE, 'third-party'),
  } as Readonly<Record<string, Price>>,
  kinesis: {
    onDemandStream: hour(0.04, 'on-demand Kinesis data stream', 'https://aws.amazon.com/kinesis/data-streams/pricing/', 'third-party',
      'The AWS page states a per-stream hourly charge for on-demand mode; its figure ($0.04 per stream-hour, "AWS price list of September 2026") '
      + 'is read in public engineering notes. Data in/out per GB is usage-priced.'),
    provisionedShard: hour(0.015, 'provisioned Kinesis shard', 'https://aws.amazon.com/kinesis/data-streams/pricing/', 'third-party',
      'Read in the same public notes as the on-demand figure.'),
  },
  /** Charges the report names but does not add to the idle hour. */
  notCounted: {
    logs: {
      driver: 'GB ingested and GB-months stored',
      reason: 'CloudWatch Logs bills per GB ingested and stored; an idle lab writes little.',
      read,
    },
    dynamoDbOnDemand: {
      driver: 'read and write request units, GB-months stored',
      reason: 'On-demand tables bill per request and per GB-month; lab tables start empty.',
      read,
    },
    s3: {
      driver: 'GB-months stored and requests',
      reason: 'S3 bills per GB-month of objects and per request; lab buckets start empty.',
      read,
    },
    containerInsights: {
      driver: 'Container Insights metrics and performance logs, growing with tasks and containers',
      reason: 'Container Insights is billed as CloudWatch metrics and logs ($0.07 per metric-month with enhanced observability) '
        + 'whose number grows with the services, tasks and containers running.',
      source: 'https://fortem.dev/blog/ecs-fargate-monitoring/',
      read,
    },
  } satisfies Record<string, NotCounted>,
} as const;

/** A price turned into US dollars per unit-hour. */
export function hourly(price: Price): number {
  return price.period === 'hour' ? price.usd : price.usd / HOURS_PER_MONTH;
}
