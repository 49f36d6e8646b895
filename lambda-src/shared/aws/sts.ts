import { AwsClientOptions, awsService, CallOptions } from './client';

export interface AssumeRoleInput {
  readonly RoleArn: string;
  /** 2-64 characters of `[\w+=,.@-]`: it names the session in CloudTrail. */
  readonly RoleSessionName: string;
  /** 900 (the minimum) to the role's maximum session duration; default 3600. */
  readonly DurationSeconds?: number;
  /** Session tags: the role's policies read them as `aws:PrincipalTag/<Key>`. */
  readonly Tags?: ReadonlyArray<{ readonly Key: string; readonly Value: string }>;
}

/** Temporary credentials of an assumed role. */
export interface AssumedCredentials {
  readonly AccessKeyId: string;
  readonly SecretAccessKey: string;
  readonly SessionToken: string;
  /** When they stop working. */
  readonly Expiration: Date;
}

/** Assuming roles. Errors are AwsServiceError (`AccessDenied`, `RegionDisabledException`, ...). */
export interface Sts {
  assumeRole(input: AssumeRoleInput, options?: CallOptions): Promise<AssumedCredentials>;
}

/** What the XML answer parses to (the client drops the root element, as for SNS). */
interface AssumeRolePayload {
  readonly AssumeRoleResult?: { readonly Credentials?: Record<string, unknown> };
}

/**
 * STS over its query protocol, as a POSTed form (the regional endpoint the client signs
 * for); session tags are the protocol's numbered `Tags.member.N` entries.
 */
export function sts(options?: AwsClientOptions): Sts {
  const send = awsService('sts', 'xml', options);
  return {
    async assumeRole(input, o) {
      const form = new URLSearchParams({ Action: 'AssumeRole', Version: '2011-06-15', RoleArn: input.RoleArn, RoleSessionName: input.RoleSessionName });
      if (input.DurationSeconds !== undefined) form.set('DurationSeconds', String(input.DurationSeconds));
      (input.Tags ?? []).forEach((tag, i) => {
        form.set(`Tags.member.${i + 1}.Key`, tag.Key);
        form.set(`Tags.member.${i + 1}.Value`, tag.Value);
      });
      const response = await send({
        operation: 'AssumeRole',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: form.toString(),
      }, o);
      const payload = response.payload as AssumeRolePayload & { AssumeRoleResponse?: AssumeRolePayload } | null;
      const credentials = (payload?.AssumeRoleResult ?? payload?.AssumeRoleResponse?.AssumeRoleResult)?.Credentials ?? {};
      const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = credentials;
      const expiration = new Date(String(Expiration));
      // An answer without usable credentials must not become a session that fails later and elsewhere.
      if (typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string' || typeof SessionToken !== 'string' || Number.isNaN(expiration.getTime())) {
        throw new Error('sts.AssumeRole answered without AccessKeyId, SecretAccessKey, SessionToken and a valid Expiration');
      }
      return { AccessKeyId, SecretAccessKey, SessionToken, Expiration: expiration };
    },
  };
}
