import type { AwsCredentials } from '../../../shared/aws/client';
import type { DynamoDb } from '../../../shared/aws/dynamodb';
import type { AssumedCredentials, Sts } from '../../../shared/aws/sts';
import { tenantId as checkTenantId } from '../shared/keys';

// The function has no DynamoDB permission of its own: every table call is made with the
// tenant data role, assumed with the session tag tenantId=<the caller's tenant>. The role's
// policy admits only keys led by `T#${aws:PrincipalTag/tenantId}#` (and the bare tenant on
// the byTenant index), so a key built for another tenant fails in IAM instead of leaking.
// Credentials are cached per tenant and renewed a minute before they expire; concurrent
// first requests of one tenant share one AssumeRole.

/** Sessions last 15 minutes (STS's minimum): a leaked one is short-lived. */
export const SESSION_SECONDS = 900;
/** Renewed this long before expiry, so no call starts with credentials about to lapse. */
export const RENEW_BEFORE_MS = 60_000;
/** Tenants whose sessions are kept; the least recently used one is dropped beyond this. */
export const MAX_CACHED_TENANTS = 500;

export interface TenantSessionsOptions {
  readonly sts: Sts;
  readonly roleArn: string;
  /** A DynamoDB client signing with these credentials. */
  readonly dynamoWith: (credentials: AwsCredentials) => DynamoDb;
  readonly now?: () => number;
}

interface Session {
  readonly dynamo: DynamoDb;
  readonly renewAt: number;
}

export class TenantSessions {
  private readonly sessions = new Map<string, Promise<Session>>();
  private readonly now: () => number;

  constructor(private readonly options: TenantSessionsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A DynamoDB client acting as `tenant`'s session of the tenant data role. */
  public async dynamoFor(tenant: string): Promise<DynamoDb> {
    checkTenantId(tenant);
    for (let cached = this.sessions.get(tenant); cached; cached = this.sessions.get(tenant)) {
      const session = await cached.catch(() => undefined);
      if (session && this.now() < session.renewAt) {
        // Most recently used last, so the first entry is the one to drop.
        this.sessions.delete(tenant);
        this.sessions.set(tenant, cached);
        return session.dynamo;
      }
      // Expired or failed: the first caller to notice starts a new AssumeRole, the others wait for it.
      if (this.sessions.get(tenant) === cached) {
        this.sessions.delete(tenant);
        break;
      }
    }
    const pending = this.assume(tenant);
    this.sessions.set(tenant, pending);
    if (this.sessions.size > MAX_CACHED_TENANTS) this.sessions.delete(this.sessions.keys().next().value as string);
    try {
      return (await pending).dynamo;
    } catch (error) {
      // A failure is not kept: the next request tries again.
      if (this.sessions.get(tenant) === pending) this.sessions.delete(tenant);
      throw error;
    }
  }

  private async assume(tenant: string): Promise<Session> {
    const credentials: AssumedCredentials = await this.options.sts.assumeRole({
      RoleArn: this.options.roleArn,
      // Names the session in CloudTrail; tenant ids use only characters a session name may hold.
      RoleSessionName: `device-api.${tenant}`.slice(0, 64),
      DurationSeconds: SESSION_SECONDS,
      Tags: [{ Key: 'tenantId', Value: tenant }],
    });
    return {
      dynamo: this.options.dynamoWith({
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
      }),
      renewAt: credentials.Expiration.getTime() - RENEW_BEFORE_MS,
    };
  }
}
