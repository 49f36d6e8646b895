import type { KinesisStreamBatchResponse } from 'aws-lambda';
import { analyticsEventAttributes, THRESHOLD_EXCEEDED, ThresholdExceededEvent } from './analytics-event';
import type { DeviceIdentity, DeviceLookup } from './device-registry';
import { kinesisRecordsOf, TelemetryRecord } from './kinesis-records';
import { RecordReadings, runLimited, WriteOutcome } from './readings-writer';
import { rejectedRecordBody, rejectedRecordMessage } from './rejected-record';
import { parseTelemetryBody, RejectionCode, TelemetryBody, TelemetryRejection } from './telemetry-body';
import type { MessageAttributeValue } from '../../../shared/aws/sns';

/** What a batch did, for the one log line and the metrics; never any record content. */
export interface BatchSummary {
  readonly records: number;
  readonly readingsWritten: number;
  readonly rejected: Partial<Record<RejectionCode, number>>;
  readonly eventsPublished: number;
  /** Records reported for a retry, by the step that failed them. */
  readonly failed: Partial<Record<FailureStep, number>>;
  /** AWS error codes seen, with how many items or calls each failed. */
  readonly errors: Record<string, number>;
}

/** Why a record is reported: a step did not complete, or an earlier record's failure made its events wait. */
export type FailureStep = 'registry' | 'rejection' | 'write' | 'publish' | 'deferred';

export interface TelemetryBatchSettings {
  readonly lookupDevice: DeviceLookup;
  readonly writeReadings: (records: readonly RecordReadings[]) => Promise<WriteOutcome>;
  /** Sends one rejected-record message (JSON text) to the rejected-telemetry queue. */
  readonly sendRejection: (body: string) => Promise<void>;
  readonly publishEvent: (message: string, attributes: Record<string, MessageAttributeValue>) => Promise<void>;
  /** A `temperature` reading above this is a threshold.exceeded event. */
  readonly temperatureThreshold: number;
  readonly now: () => number;
  readonly onFailure?: (record: { sequenceNumber: string; shardId?: string; step: FailureStep; errorCode?: string }) => void;
}

interface Accepted {
  readonly record: TelemetryRecord;
  readonly body: TelemetryBody;
  device?: DeviceIdentity;
}

/**
 * One Kinesis batch of telemetry: decode and check every record, map its token subject to
 * the registered device, queue refused records with their reason (they never fail the
 * batch), write the readings of the others and publish their threshold events.
 *
 * The answer is a Kinesis partial batch response. Lambda resumes a shard from the lowest
 * sequence number reported, so every record from there on is delivered again: writes are
 * idempotent (deterministic keys), and the events of records after the earliest failure are
 * not published now but on that redelivery, so an alert is not sent twice. Such records are
 * reported as well ('deferred'), since their work is not done.
 */
export interface BatchOutcome {
  readonly response: KinesisStreamBatchResponse;
  readonly summary: BatchSummary;
}

export function telemetryBatch(settings: TelemetryBatchSettings): (event: unknown) => Promise<BatchOutcome> {
  return async (event) => {
    const records = kinesisRecordsOf(event);
    const now = settings.now();
    const failed = new Map<number, FailureStep>();
    const errors: Record<string, number> = {};
    const rejected: Partial<Record<RejectionCode, number>> = {};
    const failedBy: Partial<Record<FailureStep, number>> = {};
    const fail = (record: TelemetryRecord, step: FailureStep, error?: unknown) => {
      if (failed.has(record.index)) return;
      failed.set(record.index, step);
      failedBy[step] = (failedBy[step] ?? 0) + 1;
      const errorCode = error === undefined ? undefined : codeOf(error);
      if (errorCode) errors[errorCode] = (errors[errorCode] ?? 0) + 1;
      settings.onFailure?.({ sequenceNumber: record.sequenceNumber, shardId: record.shardId, step, errorCode });
    };

    // 1. Decode and check each record on its own.
    const refusals: Array<{ record: TelemetryRecord; rejection: TelemetryRejection }> = [];
    const accepted: Accepted[] = [];
    for (const record of records) {
      try {
        accepted.push({ record, body: parseTelemetryBody(record.data, now) });
      } catch (error) {
        if (!(error instanceof TelemetryRejection)) throw error;
        refusals.push({ record, rejection: error });
      }
    }

    // 2. Token subject -> registered device, once per subject of the batch.
    const subjects = [...new Set(accepted.map((a) => a.record.partitionKey))];
    const devices = new Map<string, DeviceIdentity | undefined | Error>();
    await runLimited(subjects, 8, async (sub) => {
      try {
        devices.set(sub, await settings.lookupDevice(sub));
      } catch (error) {
        devices.set(sub, error instanceof Error ? error : new Error(String(error)));
      }
    });
    const toWrite: Accepted[] = [];
    for (const entry of accepted) {
      const device = devices.get(entry.record.partitionKey);
      if (device instanceof Error) {
        fail(entry.record, 'registry', device);
        continue;
      }
      const refusal = deviceRefusal(entry.body, device);
      if (refusal) refusals.push({ record: entry.record, rejection: refusal });
      else toWrite.push(Object.assign(entry, { device }));
    }

    // 3. Refused records to the rejected-telemetry queue; one that cannot be queued is retried, not dropped.
    await runLimited(refusals, 8, async ({ record, rejection }) => {
      try {
        await settings.sendRejection(rejectedRecordBody(rejectedRecordMessage(record, rejection.code, rejection.message, now)));
        rejected[rejection.code] = (rejected[rejection.code] ?? 0) + 1;
      } catch (error) {
        fail(record, 'rejection', error);
      }
    });

    // 4. Readings, keyed by the registry's tenant and device.
    const written = await settings.writeReadings(toWrite.map((a) => ({ index: a.record.index, device: a.device!, readings: a.body.readings })));
    for (const [code, count] of written.reasons) errors[code] = (errors[code] ?? 0) + count;
    let readingsWritten = 0;
    for (const entry of toWrite) {
      if (written.failed.has(entry.record.index)) fail(entry.record, 'write');
      else readingsWritten += entry.body.readings.length;
    }

    // 5. Threshold events in stream order, none past the earliest failure (see above).
    let eventsPublished = 0;
    for (const entry of toWrite.sort((a, b) => a.record.index - b.record.index)) {
      if (failed.has(entry.record.index)) continue;
      const events = thresholdEvents(entry.device!, entry.body, settings.temperatureThreshold);
      if (events.length === 0) continue;
      if (earliest(failed) < entry.record.index) {
        fail(entry.record, 'deferred');
        continue;
      }
      try {
        for (const e of events) {
          await settings.publishEvent(JSON.stringify(e), analyticsEventAttributes(e));
          eventsPublished++;
        }
      } catch (error) {
        fail(entry.record, 'publish', error);
      }
    }

    const batchItemFailures = [...failed.keys()].sort((a, b) => a - b).map((i) => ({ itemIdentifier: records[i].sequenceNumber }));
    return {
      response: { batchItemFailures },
      summary: { records: records.length, readingsWritten, rejected, eventsPublished, failed: failedBy, errors },
    };
  };
}

/** UNKNOWN_DEVICE or DEVICE_MISMATCH for a body from `device` (the registry's answer for its subject). */
function deviceRefusal(body: TelemetryBody, device: DeviceIdentity | undefined): TelemetryRejection | undefined {
  if (!device) return new TelemetryRejection('UNKNOWN_DEVICE', 'partitionKey must be the Cognito subject of a registered device, got a subject the registry does not know');
  if (device.status !== 'active') return new TelemetryRejection('UNKNOWN_DEVICE', `the device of this subject must be active, got status ${device.status}`);
  for (const field of ['deviceId', 'tenantId'] as const) {
    const claimed = body[field];
    if (claimed !== undefined && claimed !== device[field]) {
      return new TelemetryRejection('DEVICE_MISMATCH', `${field} must be absent or ${JSON.stringify(device[field])} (the device of the token), got ${JSON.stringify(claimed)?.slice(0, 80)}`);
    }
  }
  return undefined;
}

function thresholdEvents(device: DeviceIdentity, body: TelemetryBody, threshold: number): ThresholdExceededEvent[] {
  return body.readings
    .filter((r) => r.metric === 'temperature' && r.value > threshold)
    .map((r) => ({
      eventType: THRESHOLD_EXCEEDED, tenantId: device.tenantId, deviceId: device.deviceId, metric: r.metric, value: r.value, ts: r.ts,
    }));
}

function earliest(failed: Map<number, FailureStep>): number {
  let min = Infinity;
  for (const index of failed.keys()) if (index < min) min = index;
  return min;
}

/** The AWS error code of a failed call, or the error's name; never its message (it may quote what was sent). */
function codeOf(error: unknown): string {
  const e = error as { code?: unknown; name?: unknown };
  return typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'Error';
}
