import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { ApiStageSettings, ApiThrottling } from '../../src';

/** One stage of the café API: its throttle, whether it runs the cache, its execution log level and metrics. */
export interface LabStage {
  readonly name: string;
  readonly throttling: ApiThrottling;
  /** The 0.5 GB cache cluster is the lab's only hourly charge of note: dev goes without. */
  readonly cache: boolean;
  readonly executionLogLevel: apigateway.MethodLoggingLevel;
  readonly detailedMetrics: boolean;
}

/** dev is small and chatty (INFO logs, per-method metrics, no cache), prod is wide and quiet. */
export const LAB_STAGES: LabStage[] = [
  { name: 'dev', throttling: { rateLimit: 10, burstLimit: 20 }, cache: false, executionLogLevel: apigateway.MethodLoggingLevel.INFO, detailedMetrics: true },
  { name: 'staging', throttling: { rateLimit: 25, burstLimit: 50 }, cache: true, executionLogLevel: apigateway.MethodLoggingLevel.ERROR, detailedMetrics: false },
  { name: 'prod', throttling: { rateLimit: 100, burstLimit: 200 }, cache: true, executionLogLevel: apigateway.MethodLoggingLevel.ERROR, detailedMetrics: false },
];

/** Per-route throttles on every stage; they replace the stage's throttle for these routes. */
export const ROUTE_THROTTLING: { [route: string]: ApiThrottling } = {
  'POST /v1/menu': { rateLimit: 1, burstLimit: 2 },
  'POST /v1/orders': { rateLimit: 5, burstLimit: 10 },
};

/** Every stage serves prices in this currency (stage variable `currency`, read by the v2 template). */
export const CURRENCY = 'EUR';

/**
 * The AuthorizedApi stage props of LAB_STAGES. Execution logs need the account-level API
 * Gateway CloudWatch role, so without `executionLogs` every stage has them OFF.
 */
export function labStageProps(executionLogs: boolean): {
  stages: string[]; stageThrottling: { [stage: string]: ApiThrottling }; stageSettings: { [stage: string]: ApiStageSettings };
} {
  return {
    stages: LAB_STAGES.map((s) => s.name),
    stageThrottling: Object.fromEntries(LAB_STAGES.map((s) => [s.name, s.throttling])),
    stageSettings: Object.fromEntries(LAB_STAGES.map((s) => [s.name, {
      cacheEnabled: s.cache,
      executionLogLevel: executionLogs ? s.executionLogLevel : apigateway.MethodLoggingLevel.OFF,
      detailedMetrics: s.detailedMetrics,
      variables: { environment: s.name, currency: CURRENCY },
    } satisfies ApiStageSettings])),
  };
}
