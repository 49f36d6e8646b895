import type { APIGatewayProxyResult } from 'aws-lambda';
import { DeviceApiDependencies, handleDeviceApi } from './device-api';
import { errorAnswer, proxyResult } from './proxy-result';
import type { RestProxyEvent } from './request';
import { TenantSessions } from './tenant-session';
import { DEVICE_API_SETTINGS_VARIABLE, DeviceApiSettings, parseDeviceApiSettings } from '../../../../examples/iot-platform/device-api-settings';
import { cognitoIdentityProvider } from '../../../shared/aws/cognito-idp';
import { dynamoDb } from '../../../shared/aws/dynamodb';
import { lambda } from '../../../shared/aws/lambda';
import { sts } from '../../../shared/aws/sts';
import { webSocketConnections } from '../../../shared/aws/websocket-connections';
import { JsonConfig } from '../../../shared/config';
import { createHandler } from '../../../shared/handler';

// The IoT platform's device-management REST API (v1 and v2 behind the library authorizer).
// Wiring only: settings (examples/iot-platform/device-api-settings.ts), clients, and one
// tenant session cache per execution environment. The logic is in device-api.ts.
const settings = parseDeviceApiSettings(JsonConfig.fromEnvironment<DeviceApiSettings>(DEVICE_API_SETTINGS_VARIABLE));
// Table calls are signed only with the tenant's session credentials, never the function's own.
const sessions = new TenantSessions({ sts: sts(), roleArn: settings.tenantDataRoleArn, dynamoWith: (credentials) => dynamoDb({ credentials }) });
const cognito = cognitoIdentityProvider();
// The breaker bounds its own call (3 s) and answers its fallback: this bound only covers a breaker that does not answer.
const breaker = lambda({ maxAttempts: 1, timeoutMs: 10_000 });
const connections = webSocketConnections(settings.commandsCallbackUrl);

export const handler = createHandler<RestProxyEvent | null, APIGatewayProxyResult>('iot-device-api', ({ logger }) => {
  const deps: DeviceApiDependencies = {
    settings,
    sessions,
    cognito,
    lambda: breaker,
    connections,
    now: () => new Date(),
    log: (level, message, attributes) => logger[level](message, attributes),
  };
  return async (raw) => {
    const event: RestProxyEvent = typeof raw === 'object' && raw !== null ? raw : {};
    const requestId = typeof event.requestContext?.requestId === 'string' ? event.requestContext.requestId : '';
    let answer;
    try {
      answer = await handleDeviceApi(deps, event);
    } catch (error) {
      answer = errorAnswer(error);
      if (answer.statusCode >= 500) {
        const { name, code, message } = error as { name?: string; code?: string; message?: string };
        logger.error('request failed', { error: { name, code, message } });
      }
    }
    // One line per request: route, tenant and outcome; never a body (it may carry a password).
    logger.info('request answered', {
      method: String(event.httpMethod).slice(0, 16),
      resource: String(event.resource).slice(0, 80),
      tenantId: typeof event.requestContext?.authorizer?.tenantId === 'string' ? event.requestContext.authorizer.tenantId.slice(0, 64) : undefined,
      statusCode: answer.statusCode,
    });
    return proxyResult(answer, requestId);
  };
});
