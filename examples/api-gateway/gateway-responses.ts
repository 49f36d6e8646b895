import * as apigateway from 'aws-cdk-lib/aws-apigateway';

/**
 * The answers API Gateway itself gives (before any integration runs), as JSON with the request
 * id a learner can find in the access log. Where the message is `null`, API Gateway's own
 * message is used (e.g. `Missing required request parameters: [category]`).
 */
const GATEWAY_RESPONSES: { id: string; type: apigateway.ResponseType; error: string; message: string | null }[] = [
  { id: 'Unauthorized', type: apigateway.ResponseType.UNAUTHORIZED, error: 'UNAUTHORIZED', message: 'send Authorization: Bearer <access token of the café user pool>' },
  { id: 'AccessDenied', type: apigateway.ResponseType.ACCESS_DENIED, error: 'FORBIDDEN', message: 'the token is valid but lacks the scope this route needs' },
  { id: 'ApiKeyInvalid', type: apigateway.ResponseType.INVALID_API_KEY, error: 'INVALID_API_KEY', message: 'send x-api-key: <key of your usage plan>' },
  { id: 'Throttled', type: apigateway.ResponseType.THROTTLED, error: 'THROTTLED', message: 'too many requests for this stage or usage plan: retry with backoff' },
  { id: 'QuotaExceeded', type: apigateway.ResponseType.QUOTA_EXCEEDED, error: 'QUOTA_EXCEEDED', message: 'the daily quota of your usage plan is used up' },
  { id: 'BadRequestBody', type: apigateway.ResponseType.BAD_REQUEST_BODY, error: 'INVALID_BODY', message: null },
  { id: 'BadRequestParameters', type: apigateway.ResponseType.BAD_REQUEST_PARAMETERS, error: 'INVALID_PARAMETERS', message: null },
  { id: 'MissingToken', type: apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN, error: 'NOT_FOUND', message: 'no such route: check the method, the path and the stage in the URL' },
  { id: 'Default4xx', type: apigateway.ResponseType.DEFAULT_4XX, error: 'CLIENT_ERROR', message: null },
  { id: 'Default5xx', type: apigateway.ResponseType.DEFAULT_5XX, error: 'SERVER_ERROR', message: 'the API failed to answer: retry later' },
];

/**
 * The JSON body of a gateway response. These templates are plain substitution, not VTL:
 * `$context.error.messageString` is API Gateway's message already quoted as a JSON string.
 * (The validator's detailed text, `validationErrorString`, has unescaped quotes, so it is
 * left to the execution log rather than breaking the JSON.)
 */
export function gatewayResponseTemplate(error: string, message: string | null): string {
  const text = message === null ? '$context.error.messageString' : JSON.stringify(message);
  return `{"error":"${error}","message":${text},"requestId":"$context.requestId"}`;
}

export function addGatewayResponses(restApi: apigateway.IRestApi): apigateway.GatewayResponse[] {
  return GATEWAY_RESPONSES.map(({ id, type, error, message }) => new apigateway.GatewayResponse(restApi.stack, `GatewayResponse${id}`, {
    restApi,
    type,
    templates: { 'application/json': gatewayResponseTemplate(error, message) },
  }));
}
