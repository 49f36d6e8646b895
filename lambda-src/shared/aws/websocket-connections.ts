import { AwsClientOptions, awsService, CallOptions } from './client';
import { endpointFor } from './endpoints';

/** Talking to the clients of one WebSocket API stage. Errors are AwsServiceError (`GoneException` when the client left). */
export interface WebSocketConnections {
  /** Send `data` to one connected client. */
  postToConnection(connectionId: string, data: string | Buffer, options?: CallOptions): Promise<void>;
  /** Close one client's connection. */
  deleteConnection(connectionId: string, options?: CallOptions): Promise<void>;
}

/**
 * The API Gateway management API (`@connections`) of the stage whose callback URL is
 * `callbackUrl` (`https://<api-id>.execute-api.<region>.amazonaws.com/<stage>`). Against a
 * configured endpoint (a local server in tests) only the stage path is kept.
 */
export function webSocketConnections(callbackUrl: string, options: AwsClientOptions = {}): WebSocketConnections {
  const url = new URL(callbackUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`callback URL must be http(s), got ${JSON.stringify(callbackUrl)}`);
  const send = awsService('execute-api', 'raw', options);
  const local = (options.endpoint ?? endpointFor('execute-api')) !== undefined;
  const stagePath = url.pathname.replace(/\/+$/, '');
  const address = (connectionId: string) => ({
    ...(local ? {} : { host: url.host }),
    path: `${stagePath}/@connections/${encodeURIComponent(connectionId)}`,
  });
  return {
    async postToConnection(connectionId, data, o) {
      await send({ operation: 'PostToConnection', method: 'POST', ...address(connectionId), headers: { 'content-type': 'application/json' }, body: Buffer.from(data) }, o);
    },
    async deleteConnection(connectionId, o) {
      await send({ operation: 'DeleteConnection', method: 'DELETE', ...address(connectionId) }, o);
    },
  };
}
