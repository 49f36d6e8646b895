import { AwsClientOptions, awsJsonService, CallOptions } from './client';

export interface UserAttribute {
  readonly Name: string;
  readonly Value: string;
}

export interface AdminCreateUserInput {
  readonly UserPoolId: string;
  readonly Username: string;
  readonly UserAttributes?: readonly UserAttribute[];
  /** `SUPPRESS`: no invitation message (machine identities have no mailbox). */
  readonly MessageAction?: 'RESEND' | 'SUPPRESS';
  readonly TemporaryPassword?: string;
}

/** The user as Cognito describes it; `Attributes` carries the generated `sub`. */
export interface CognitoUser {
  readonly Username?: string;
  readonly Attributes?: UserAttribute[];
  readonly Enabled?: boolean;
  readonly UserStatus?: string;
}

export interface AdminSetUserPasswordInput {
  readonly UserPoolId: string;
  readonly Username: string;
  readonly Password: string;
  /** true: the user can sign in with it at once (no NEW_PASSWORD_REQUIRED challenge). */
  readonly Permanent?: boolean;
}

export interface AdminUserInput {
  readonly UserPoolId: string;
  readonly Username: string;
}

/**
 * The user-pool administration the handlers need. Errors are AwsServiceError
 * (`UsernameExistsException`, `UserNotFoundException`, `InvalidPasswordException`, ...).
 */
export interface CognitoIdentityProvider {
  adminCreateUser(input: AdminCreateUserInput, options?: CallOptions): Promise<{ User?: CognitoUser }>;
  adminSetUserPassword(input: AdminSetUserPasswordInput, options?: CallOptions): Promise<Record<string, never>>;
  adminDeleteUser(input: AdminUserInput, options?: CallOptions): Promise<Record<string, never>>;
  adminDisableUser(input: AdminUserInput, options?: CallOptions): Promise<Record<string, never>>;
}

/** Cognito user pools over the AWS JSON 1.1 protocol. */
export function cognitoIdentityProvider(options?: AwsClientOptions): CognitoIdentityProvider {
  const call = awsJsonService('cognito-idp', 'AWSCognitoIdentityProviderService', '1.1', options);
  return {
    adminCreateUser: (input, o) => call<{ User?: CognitoUser }>('AdminCreateUser', input, o),
    adminSetUserPassword: (input, o) => call<Record<string, never>>('AdminSetUserPassword', input, o),
    adminDeleteUser: (input, o) => call<Record<string, never>>('AdminDeleteUser', input, o),
    adminDisableUser: (input, o) => call<Record<string, never>>('AdminDisableUser', input, o),
  };
}
