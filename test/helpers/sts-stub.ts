import { LoopbackServer, startLoopbackServer } from './http-server';

// A loopback STS that answers AssumeRole (query protocol, XML) with fresh credentials per
// call and remembers, for each access key id it issued, the session tags it was asked
// for, so a test can tell which tenant's session signed a later call.

export interface AssumeRoleCall {
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly durationSeconds?: number;
  /** The session tags, `Tags.member.N.Key` → `Tags.member.N.Value`. */
  readonly tags: Record<string, string>;
  /** The access key id issued for this session. */
  readonly accessKeyId: string;
}

export interface StsStub {
  readonly url: string;
  readonly calls: AssumeRoleCall[];
  readonly server: LoopbackServer;
  /** The session tags of the session `accessKeyId` belongs to, or undefined for keys STS never issued. */
  tagsOf(accessKeyId: string): Record<string, string> | undefined;
  /** Sessions issued from now on expire after this many seconds (default: as asked). */
  expireAfter(seconds: number | undefined): void;
  /** The next `count` calls answer this error. */
  failNext(count: number, status: number, code: string): void;
  stop(): Promise<void>;
}

export async function startStsStub(): Promise<StsStub> {
  const calls: AssumeRoleCall[] = [];
  const failures: Array<{ status: number; code: string }> = [];
  let lifetime: number | undefined;
  let counter = 0;
  const server = await startLoopbackServer((request) => {
    const form = new URLSearchParams(request.body);
    const failure = failures.shift();
    if (failure) {
      return {
        status: failure.status,
        headers: { 'content-type': 'text/xml' },
        body: `<ErrorResponse><Error><Type>Sender</Type><Code>${failure.code}</Code><Message>stub</Message></Error></ErrorResponse>`,
      };
    }
    if (form.get('Action') !== 'AssumeRole') return { status: 400, headers: { 'content-type': 'text/xml' }, body: '<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>' };
    const tags: Record<string, string> = {};
    for (let i = 1; form.has(`Tags.member.${i}.Key`); i++) tags[form.get(`Tags.member.${i}.Key`)!] = form.get(`Tags.member.${i}.Value`) ?? '';
    const accessKeyId = `ASIASTUB${String(++counter).padStart(8, '0')}`;
    const duration = Number(form.get('DurationSeconds') ?? 3600);
    calls.push({ roleArn: form.get('RoleArn') ?? '', roleSessionName: form.get('RoleSessionName') ?? '', durationSeconds: Number(form.get('DurationSeconds')) || undefined, tags, accessKeyId });
    const expiration = new Date(Date.now() + (lifetime ?? duration) * 1000).toISOString();
    return {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>' +
        `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>secret-${counter}</SecretAccessKey>` +
        `<SessionToken>token-${counter}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
        `<AssumedRoleUser><Arn>${form.get('RoleArn')}/${form.get('RoleSessionName')}</Arn><AssumedRoleId>AROA:${form.get('RoleSessionName')}</AssumedRoleId></AssumedRoleUser>` +
        '<PackedPolicySize>1</PackedPolicySize></AssumeRoleResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></AssumeRoleResponse>',
    };
  });
  return {
    url: server.url,
    calls,
    server,
    tagsOf: (accessKeyId) => calls.find((c) => c.accessKeyId === accessKeyId)?.tags,
    expireAfter(seconds) {
      lifetime = seconds;
    },
    failNext(count, status, code) {
      for (let i = 0; i < count; i++) failures.push({ status, code });
    },
    stop: () => server.stop(),
  };
}
