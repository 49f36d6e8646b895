import awsLite from '@aws-lite/client';
import { sign } from 'aws4';
import type { AwsCredentials } from './client';

/** Where the IAM authentication token is for. */
export interface RdsTokenOptions {
  readonly hostname: string;
  readonly port: number;
  readonly username: string;
  /** Default: AWS_REGION. */
  readonly region?: string;
  /** Default: the client's credential chain (AWS_ACCESS_KEY_ID, ... in Lambda). */
  readonly credentials?: AwsCredentials;
}

/** Tokens live 15 minutes, the longest RDS accepts. */
const TOKEN_EXPIRES_SECONDS = 900;

/**
 * Mints RDS IAM authentication tokens: the presigned `rds-db:connect` URL that RDS and
 * RDS Proxy accept as a password. aws4 signs; aws-lite's chain finds the credentials.
 */
export function rdsTokenSigner(options: RdsTokenOptions): () => Promise<string> {
  const region = options.region ?? process.env.AWS_REGION ?? '';
  // Resolved at the first mint, never at load (see awsService).
  let credentials: Promise<AwsCredentials> | undefined;
  const resolve = () => (credentials ??= options.credentials
    ? Promise.resolve(options.credentials)
    : awsLite({ region }).then((client) => (client as unknown as { credentials: AwsCredentials }).credentials));
  const host = `${options.hostname}:${options.port}`;
  const query = new URLSearchParams({ 'Action': 'connect', 'DBUser': options.username, 'X-Amz-Expires': String(TOKEN_EXPIRES_SECONDS) });
  return async () => {
    const signed = sign({ host, path: `/?${query}`, service: 'rds-db', region, method: 'GET', signQuery: true }, await resolve());
    return `${host}${signed.path}`;
  };
}
