import { SecretsManager, secretsManager } from '../../../shared/aws/secrets-manager';
import { HandlerError } from '../../../shared/errors';

/**
 * Reads the `password` of a database user's secret (JSON with `username` and `password`,
 * as RDS and its rotation write it). The call goes to Secrets Manager through the VPC's
 * interface endpoint; the password is never logged.
 */
export function secretPassword(secretArn: string, client: SecretsManager = secretsManager()): () => Promise<string> {
  return async () => {
    const { SecretString } = await client.getSecretValue({ SecretId: secretArn });
    let password: unknown;
    try {
      password = (JSON.parse(SecretString ?? '') as { password?: unknown }).password;
    } catch {
      password = undefined;
    }
    if (typeof password !== 'string' || password.length === 0) {
      throw new HandlerError('INVALID_SECRET', `the secret ${secretArn} does not hold a JSON object with a non-empty "password"`);
    }
    return password;
  };
}
