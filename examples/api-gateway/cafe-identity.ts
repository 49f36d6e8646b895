import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/** The OAuth scopes of the café API (`cafe/<name>` in access tokens). */
export const CAFE_SCOPES = {
  menuRead: 'cafe/menu.read',
  menuWrite: 'cafe/menu.write',
  ordersRead: 'cafe/orders.read',
  ordersWrite: 'cafe/orders.write',
} as const;

/** The token issuer of the lab: a user pool with the café's scopes and two machine clients. */
export interface CafeIdentity {
  readonly userPool: cognito.UserPool;
  readonly domain: cognito.UserPoolDomain;
  /** The café's own app: every scope. */
  readonly cafeClient: cognito.UserPoolClient;
  /** A partner reading the menu: `cafe/menu.read` only (and the partner usage plan's API key). */
  readonly partnerClient: cognito.UserPoolClient;
}

/**
 * A Cognito user pool the stack owns as the API's token issuer, so the lab needs no external
 * IdP: a resource server `cafe` with four scopes, a domain for the token endpoint, and two
 * app clients using the client-credentials grant (machine-to-machine access tokens with scopes).
 */
export function createCafeIdentity(scope: Construct): CafeIdentity {
  const userPool = new cognito.UserPool(scope, 'UserPool', {
    selfSignUpEnabled: false,
    signInAliases: { username: true },
    passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
    accountRecovery: cognito.AccountRecovery.NONE,
    featurePlan: cognito.FeaturePlan.ESSENTIALS,
    deletionProtection: false,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const scopes = Object.values(CAFE_SCOPES).map((full) => new cognito.ResourceServerScope({ scopeName: full.split('/')[1], scopeDescription: full }));
  const resourceServer = userPool.addResourceServer('CafeScopes', { identifier: 'cafe', scopes });
  const oauthScope = (full: string) => cognito.OAuthScope.resourceServer(resourceServer, scopes.find((s) => `cafe/${s.scopeName}` === full)!);

  // The prefix must be unique in the region: the stack name and account keep two deployments apart.
  const stackName = Stack.of(scope).stackName.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const domain = userPool.addDomain('TokenDomain', { cognitoDomain: { domainPrefix: `cafe-${stackName}-${Aws.ACCOUNT_ID}` } });
  const machineClient = (id: string, granted: string[]) => userPool.addClient(id, {
    userPoolClientName: id,
    generateSecret: true,
    authFlows: {},
    oAuth: { flows: { clientCredentials: true }, scopes: granted.map(oauthScope) },
    accessTokenValidity: Duration.minutes(60),
    enableTokenRevocation: true,
    preventUserExistenceErrors: true,
  });
  const cafeClient = machineClient('CafeApp', Object.values(CAFE_SCOPES));
  const partnerClient = machineClient('PartnerApp', [CAFE_SCOPES.menuRead]);

  NagSuppressions.addResourceSuppressions(userPool, [
    { id: 'AwsSolutions-COG2', reason: 'The pool has no users: only machine clients get tokens (client-credentials grant), so there is nobody to ask for MFA.' },
    { id: 'AwsSolutions-COG3', reason: 'Threat protection (Plus plan) watches user sign-ins; this pool has no users, only client-credentials clients, and the lab stays on the Essentials plan.' },
    { id: 'AwsSolutions-COG8', reason: 'The Plus plan adds threat protection for user sign-ins and compromised passwords; this pool has no users or passwords, only client-credentials clients.' },
  ]);
  return { userPool, domain, cafeClient, partnerClient };
}
