import type { Reading } from './readings';
import type { DeviceRecord } from './registry';

// The two versions' answers for one device: v1 is flat, v2 nests the firmware and adds
// links. Both come from the same registry item.

export interface DeviceCredentials {
  readonly username: string;
  readonly password: string;
}

/** v1: `{ deviceId, tenantId, name, status, createdAt }`. */
export function v1Device(record: DeviceRecord) {
  return { deviceId: record.deviceId, tenantId: record.tenantId, name: record.name ?? null, status: record.status, createdAt: record.createdAt };
}

/** v1 registration: the flat device and its credentials, shown this once. */
export function v1Registered(record: DeviceRecord, credentials: DeviceCredentials) {
  return { deviceId: record.deviceId, tenantId: record.tenantId, status: record.status, createdAt: record.createdAt, credentials };
}

/** v2: `{ id, name, model, firmware: { version }, labels, status, createdAt }`. */
export function v2Device(record: DeviceRecord) {
  return {
    id: record.deviceId,
    name: record.name ?? null,
    model: record.model ?? null,
    firmware: { version: record.firmwareVersion ?? null },
    labels: record.labels ?? {},
    status: record.status,
    createdAt: record.createdAt,
  };
}

/** Where a v2 device and its readings are. */
export function v2Links(deviceId: string) {
  return { self: `/v2/devices/${deviceId}`, readings: `/v2/devices/${deviceId}/readings` };
}

/** v2 registration: `{ device, credentials, links }`. */
export function v2Registered(record: DeviceRecord, credentials: DeviceCredentials) {
  return { device: v2Device(record), credentials, links: v2Links(record.deviceId) };
}

/** v2 single device: `{ device, links }`. */
export function v2DeviceAnswer(record: DeviceRecord) {
  return { device: v2Device(record), links: v2Links(record.deviceId) };
}

/** A reading as both versions list it. */
export function readingShape(reading: Reading) {
  return { ts: reading.ts, metric: reading.metric, value: reading.value };
}
