// What every route answers with: a status, a JSON body or none, and the refusals the
// routes throw (ApiError), which become `{ error: { code, message } }` bodies.

/** One answer of the API, before it becomes an API Gateway proxy result. */
export interface ApiAnswer {
  readonly statusCode: number;
  /** JSON body; absent for 204. */
  readonly body?: unknown;
  /** A body passed through as it came (the breaker's answer), with its own headers. */
  readonly raw?: { readonly body: string; readonly headers: Record<string, string> };
}

/** A refusal with its HTTP status and a stable code; the message is safe to show the caller. */
export class ApiError extends Error {
  constructor(public readonly statusCode: number, public readonly code: string, message: string, public readonly field?: string) {
    super(message);
    this.name = 'ApiError';
  }
}

const SHOWN_VALUE_MAX = 64;

/** A value as it may appear in an error message: JSON, cut to 64 characters, so a hostile value cannot flood the answer or the log. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = typeof value;
  }
  return text.length > SHOWN_VALUE_MAX ? `${text.slice(0, SHOWN_VALUE_MAX)}...` : text;
}

/** 400 naming the field, the value received (truncated) and what is allowed. */
export function invalidField(field: string, value: unknown, allowed: string): ApiError {
  return new ApiError(400, 'VALIDATION_FAILED', `${field} must be ${allowed}, got ${shown(value)}`, field);
}

/** 404 for a device the caller's tenant does not have: the same whether it exists elsewhere or nowhere. */
export function deviceNotFound(deviceId: string): ApiError {
  return new ApiError(404, 'DEVICE_NOT_FOUND', `device ${deviceId} does not exist in your tenant`);
}

/** The body of an error answer. */
export function errorBody(error: ApiError): { error: { code: string; message: string; field?: string } } {
  return { error: { code: error.code, message: error.message, ...(error.field === undefined ? {} : { field: error.field }) } };
}
