import { RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/**
 * Who calls the platform: one Cognito user pool holding device identities (created by the
 * device API at registration) and tenant operators. Each user's tenant is the immutable
 * attribute `custom:tenant_id`, which no app client may write: a user can never move to
 * another tenant. Devices and operators use ID tokens, which carry that attribute (access
 * tokens do not carry custom attributes); each kind has its own app client, so a token's
 * `aud` says which kind it is.
 */
export class IotIdentity extends Construct {
  public readonly userPool: cognito.UserPool;
  /** Devices: USER_PASSWORD_AUTH with the credentials returned at registration. */
  public readonly deviceClient: cognito.UserPoolClient;
  /** Tenant operators (the REST API and the command WebSocket). */
  public readonly operatorClient: cognito.UserPoolClient;
  /** `https://cognito-idp.<region>.amazonaws.com/<pool id>`: the `iss` of the pool's tokens. */
  public readonly issuer: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      customAttributes: { tenant_id: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: false }) },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      accountRecovery: cognito.AccountRecovery.NONE,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Standard attributes only: custom:tenant_id is readable, never writable, by either client.
    const attributes = new cognito.ClientAttributes().withStandardAttributes({ email: true });
    const readable = attributes.withCustomAttributes('tenant_id');
    this.deviceClient = this.userPool.addClient('DeviceClient', {
      authFlows: { userPassword: true, adminUserPassword: true },
      readAttributes: readable,
      writeAttributes: attributes,
      preventUserExistenceErrors: true,
    });
    this.operatorClient = this.userPool.addClient('OperatorClient', {
      authFlows: { userSrp: true, adminUserPassword: true },
      readAttributes: readable,
      writeAttributes: attributes,
      preventUserExistenceErrors: true,
    });
    this.issuer = `https://cognito-idp.${this.userPool.env.region}.amazonaws.com/${this.userPool.userPoolId}`;
    NagSuppressions.addResourceSuppressions(this.userPool, [
      { id: 'AwsSolutions-COG2', reason: 'Device identities are machines authenticating with generated 32-character passwords; there is no second factor a device could present. Operators of a production tenant would get MFA in their own pool.' },
      { id: 'AwsSolutions-COG8', reason: 'The Plus feature plan (threat protection) is billed per monthly active user: with a million devices as users that is the largest line of the bill; devices sign in with generated passwords and the platform rejects unknown or decommissioned devices itself.' },
      { id: 'AwsSolutions-COG3', reason: 'Threat protection (advanced security) is billed per monthly active user and the lab pool has no self sign-up; the platform rejects unknown devices itself (UNKNOWN_DEVICE) and the runbook disables compromised identities.' },
    ]);
  }
}
