import type { APIGatewayProxyResult } from 'aws-lambda';
import { ApiAnswer, ApiError, errorBody } from './answers';
import { AwsServiceError } from '../../../shared/aws/errors';

// Answers and errors as API Gateway proxy results. Nothing is cached anywhere on the way:
// a registration's answer carries a password.

const HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

export function proxyResult(answer: ApiAnswer, requestId: string): APIGatewayProxyResult {
  const headers = { ...HEADERS, ...(requestId ? { 'x-request-id': requestId } : {}) };
  if (answer.raw) return { statusCode: answer.statusCode, headers: { ...headers, ...answer.raw.headers }, body: answer.raw.body };
  return { statusCode: answer.statusCode, headers, body: answer.body === undefined ? '' : JSON.stringify(answer.body) };
}

/**
 * An error as an answer: refusals keep their status; an AWS dependency that is throttled or
 * down is 503 (the caller may retry); anything else is 500 without details (they are logged).
 */
export function errorAnswer(error: unknown): ApiAnswer {
  if (error instanceof ApiError) return { statusCode: error.statusCode, body: errorBody(error) };
  if (error instanceof AwsServiceError && error.kind !== 'refused') {
    return { statusCode: 503, body: errorBody(new ApiError(503, 'SERVICE_UNAVAILABLE', 'a service the device API depends on is unavailable; try again later')) };
  }
  return { statusCode: 500, body: errorBody(new ApiError(500, 'INTERNAL_ERROR', 'the request failed; it has been logged')) };
}
