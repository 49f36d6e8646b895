import { decide, ConnectAuthorizerEvent, AuthorizerResponse } from './decide';
import { IdTokenVerifier } from './id-token';
import { parseWsAuthorizerSettings, WS_AUTHORIZER_SETTINGS_VARIABLE, WsAuthorizerSettings } from '../../../../examples/iot-platform/ws-authorizer-settings';
import { createHandler, fingerprint, JsonConfig } from '../../../shared';
import { dynamoDb } from '../../../shared/aws/dynamodb';

// The $connect REQUEST authorizer of the device-commands WebSocket API.
// Settings: examples/iot-platform/ws-authorizer-settings.ts.
const settings = parseWsAuthorizerSettings(JsonConfig.fromEnvironment<WsAuthorizerSettings>(WS_AUTHORIZER_SETTINGS_VARIABLE));
/** API Gateway's answer for "no credential" (401); an answer, not a failure. */
const UNAUTHORIZED = 'Unauthorized';

export const handler = createHandler<ConnectAuthorizerEvent, AuthorizerResponse>('iot-ws-authorizer', ({ logger }) => {
  const deps = { tokens: new IdTokenVerifier(settings), db: dynamoDb(), registryTable: settings.registryTable, bySubIndex: settings.bySubIndex };
  return async (event) => {
    const decision = await decide(event, deps);
    if (decision.kind === 'unauthorized') {
      logger.info('authorization decision', { decision: 'unauthorized', reason: decision.reason });
      throw new Error(UNAUTHORIZED);
    }
    const { response, reason, tokenUsed } = decision;
    logger.info('authorization decision', {
      decision: response.policyDocument.Statement[0].Effect === 'Allow' ? 'allow' : 'deny',
      reason,
      tokenFp: fingerprint(tokenUsed),
      sub: response.context?.sub,
      tenantId: response.context?.tenantId,
      role: response.context?.role,
      deviceId: response.context?.deviceId,
    });
    return response;
  };
}, (error) => (error as Error)?.message === UNAUTHORIZED);
