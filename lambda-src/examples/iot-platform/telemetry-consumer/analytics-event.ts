import { DEVICE_ID_PATTERN, TENANT_ID_PATTERN } from '../shared/keys';

// The analytics events the telemetry consumer publishes to the AnalyticsEvents FanoutTopic,
// and the one check its consumers (alert-notifier, analytics-aggregator) apply to them.

export const THRESHOLD_EXCEEDED = 'threshold.exceeded';

export interface ThresholdExceededEvent {
  readonly eventType: typeof THRESHOLD_EXCEEDED;
  readonly tenantId: string;
  readonly deviceId: string;
  readonly metric: string;
  readonly value: number;
  /** ISO-8601, UTC. */
  readonly ts: string;
}

/** Message attributes the topic's filter policies match on. */
export function analyticsEventAttributes(event: ThresholdExceededEvent) {
  return {
    eventType: { DataType: 'String' as const, StringValue: event.eventType },
    tenantId: { DataType: 'String' as const, StringValue: event.tenantId },
  };
}

/**
 * `value` as a threshold.exceeded event, or a description of what is wrong with it (the
 * field, the kind of value found, what is allowed). `attributeTenantId` is the message's tenantId attribute when it
 * has one: it must agree with the body, or the message is not trusted.
 */
export function checkThresholdEvent(value: unknown, attributeTenantId?: string): ThresholdExceededEvent | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the message must be a JSON object';
  const e = value as Record<string, unknown>;
  if (e.eventType !== THRESHOLD_EXCEEDED) return `eventType must be "${THRESHOLD_EXCEEDED}", got ${short(e.eventType)}`;
  if (typeof e.tenantId !== 'string' || !TENANT_ID_PATTERN.test(e.tenantId)) return `tenantId must match ${TENANT_ID_PATTERN.source}, got ${short(e.tenantId)}`;
  if (typeof e.deviceId !== 'string' || !DEVICE_ID_PATTERN.test(e.deviceId)) return `deviceId must match ${DEVICE_ID_PATTERN.source}, got ${short(e.deviceId)}`;
  if (typeof e.metric !== 'string' || e.metric.length === 0 || e.metric.length > 64) return `metric must be a string of 1 to 64 characters, got ${short(e.metric)}`;
  if (typeof e.value !== 'number' || !Number.isFinite(e.value)) return `value must be a finite number, got ${short(e.value)}`;
  if (typeof e.ts !== 'string' || Number.isNaN(Date.parse(e.ts))) return `ts must be an ISO-8601 date-time, got ${short(e.ts)}`;
  if (attributeTenantId !== undefined && attributeTenantId !== e.tenantId) return 'the tenantId message attribute must equal the body\'s tenantId';
  return { eventType: THRESHOLD_EXCEEDED, tenantId: e.tenantId, deviceId: e.deviceId, metric: e.metric, value: e.value, ts: e.ts };
}

/**
 * What a value is, never what it says: these descriptions end up in the consumers' WARN
 * lines, and a log line must not carry message content.
 */
function short(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
