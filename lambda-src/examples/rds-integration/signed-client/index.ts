import { parseSignedRequests, sendSignedRequests } from './signed-client';
import { parseSignedClientSettings, SIGNED_CLIENT_SETTINGS_VARIABLE, SignedClientSettings } from '../../../../examples/rds-integration/signed-client-settings';
import { JsonConfig } from '../../../shared/config';
import { createHandler } from '../../../shared/handler';

// Test client of the RDS lab's integ test: sends SigV4-signed requests to the items API's
// function URL with this function's role. Settings: examples/rds-integration/signed-client-settings.ts.
const { url } = parseSignedClientSettings(JsonConfig.fromEnvironment<SignedClientSettings>(SIGNED_CLIENT_SETTINGS_VARIABLE));

export const handler = createHandler('signed-client', () => async (event: unknown) => sendSignedRequests(url, process.env.AWS_REGION ?? 'us-east-1', {
  accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
  secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
  sessionToken: process.env.AWS_SESSION_TOKEN,
}, parseSignedRequests(event)));
