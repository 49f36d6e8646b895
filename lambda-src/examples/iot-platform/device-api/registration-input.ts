import { invalidField } from './answers';
import { DEVICE_ID_PATTERN } from '../shared/keys';

// The registration bodies of both versions, checked field by field with the limits of the
// REST API's request models (examples/iot-platform/device-api.ts), so a direct invocation or
// a route added without a model gets the same answer. v2 requires model and firmwareVersion
// (the breaking change). Fields neither version knows, `tenantId` among them, are ignored
// here (the models refuse them): the tenant is the authorizer's.

/** What a registration asks for, whichever version it came through. */
export interface NewDevice {
  readonly deviceId: string;
  readonly name?: string;
  readonly model?: string;
  readonly firmwareVersion?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

const NAME_MAX = 128;
const MODEL_MAX = 64;
const FIRMWARE_VERSION = /^[0-9A-Za-z.+-]{1,32}$/;
const LABEL_KEY = /^[A-Za-z0-9._-]{1,64}$/;
const LABEL_VALUE_MAX = 64;
const LABELS_MAX = 10;
// Printable text: no control characters (they break logs and terminals).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** POST /v1/devices: `{ deviceId, name? }`. */
export function parseV1Registration(body: Record<string, unknown>): NewDevice {
  return { deviceId: newDeviceId(body.deviceId), ...optionalName(body.name) };
}

/** POST /v2/devices: `{ deviceId, model, firmwareVersion, labels?, name? }`. */
export function parseV2Registration(body: Record<string, unknown>): NewDevice {
  const deviceId = newDeviceId(body.deviceId);
  if (typeof body.model !== 'string' || body.model.length < 1 || body.model.length > MODEL_MAX || CONTROL.test(body.model)) {
    throw invalidField('model', body.model, `1-${MODEL_MAX} characters without control characters (required in v2)`);
  }
  if (typeof body.firmwareVersion !== 'string' || !FIRMWARE_VERSION.test(body.firmwareVersion)) {
    throw invalidField('firmwareVersion', body.firmwareVersion, '1-32 characters of 0-9 A-Z a-z . + - (required in v2)');
  }
  return { deviceId, model: body.model, firmwareVersion: body.firmwareVersion, ...optionalName(body.name), ...optionalLabels(body.labels) };
}

function newDeviceId(value: unknown): string {
  if (typeof value !== 'string' || !DEVICE_ID_PATTERN.test(value)) throw invalidField('deviceId', value, '1-64 characters of A-Z a-z 0-9 _ -');
  return value;
}

function optionalName(value: unknown): { name?: string } {
  if (value === undefined) return {};
  if (typeof value !== 'string' || value.length < 1 || value.length > NAME_MAX || CONTROL.test(value)) {
    throw invalidField('name', value, `1-${NAME_MAX} characters without control characters`);
  }
  return { name: value };
}

function optionalLabels(value: unknown): { labels?: Record<string, string> } {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidField('labels', value, `an object of up to ${LABELS_MAX} string values`);
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > LABELS_MAX) throw invalidField('labels', `${entries.length} labels`, `at most ${LABELS_MAX} labels`);
  for (const [key, label] of entries) {
    if (!LABEL_KEY.test(key)) throw invalidField('labels (a key)', key, '1-64 characters of A-Z a-z 0-9 . _ -');
    if (typeof label !== 'string' || label.length > LABEL_VALUE_MAX || CONTROL.test(label)) {
      throw invalidField(`labels.${key}`, label, `a string of at most ${LABEL_VALUE_MAX} characters without control characters`);
    }
  }
  return { labels: Object.fromEntries(entries) as Record<string, string> };
}
