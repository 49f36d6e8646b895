import { Signer } from '@aws-sdk/rds-signer';
import type { RdsTokenOptions } from '../../../lambda-src/shared/aws/rds-token';

export function rdsTokenSigner(options: RdsTokenOptions): () => Promise<string> {
  const signer = new Signer({ ...options, region: options.region ?? process.env.AWS_REGION });
  return () => signer.getAuthToken();
}
