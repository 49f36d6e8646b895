import { JsonConfig } from '../../../shared/config';
import { createHandler } from '../../../shared/handler';
import { parseSignedRequests, sendSignedRequests } from './signed-client';

// Test client of the RDS lab's integ test: sends SigV4-signed requests to the items API's
// function URL with this function's role. Settings: SIGNED_CLIENT_CONFIG = {"url":"<function URL>"}.
const config = JsonConfig.fromEnvironment<{ url: string }>('SIGNED_CLIENT_CONFIG');
const url = config.string('url');
config.validate();

export const handler = createHandler('signed-client', () => async (event: unknown) => sendSignedRequests(url, process.env.AWS_REGION ?? 'us-east-1', {
  accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
  secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
  sessionToken: process.env.AWS_SESSION_TOKEN,
}, parseSignedRequests(event)));
