import { Signer } from '@aws-sdk/rds-signer';
import { cleartextPlugin, iamTokenProvider, passwordProvider } from '../../lambda-src/db-query/credentials';

// The IAM token path of the data-access runtime. IAM tokens cannot be verified locally,
// so this covers what the runtime controls: when tokens are minted, that they are reused,
// that the cleartext plugin never sends one without TLS, and what the real signer produces.
describe('db-query credentials', () => {
  test('a token is minted at first use and reused for 10 minutes', async () => {
    let clock = 0;
    let minted = 0;
    const provider = iamTokenProvider({ mint: async () => `token-${++minted}`, now: () => clock });
    expect(await provider.secret()).toBe('token-1');
    clock += 9 * 60_000;
    expect(await provider.secret()).toBe('token-1');
    clock += 60_001;
    expect(await provider.secret()).toBe('token-2');
    expect(provider.mints).toBe(2);
  });

  test('concurrent connects share one mint', async () => {
    let release!: (t: string) => void;
    let calls = 0;
    const provider = iamTokenProvider({ mint: () => { calls++; return new Promise((r) => (release = r)); } });
    const all = Promise.all([provider.secret(), provider.secret(), provider.secret()]);
    release('shared');
    expect(await all).toEqual(['shared', 'shared', 'shared']);
    expect(calls).toBe(1);
  });

  test('invalidate forces a fresh token at the next connect', async () => {
    let minted = 0;
    const provider = iamTokenProvider({ mint: async () => `token-${++minted}` });
    await provider.secret();
    provider.invalidate();
    expect(await provider.secret()).toBe('token-2');
  });

  test('a failed mint is a retryable DB_AUTH_FAILED and the next call tries again', async () => {
    let fail = true;
    const provider = iamTokenProvider({ mint: async () => { if (fail) throw new Error('no credentials'); return 'ok'; } });
    await expect(provider.secret()).rejects.toMatchObject({ code: 'DB_AUTH_FAILED', retryable: true, message: expect.stringContaining('no credentials') });
    fail = false;
    expect(await provider.secret()).toBe('ok');
  });

  test('token reuse longer than the token lifetime is refused', () => {
    expect(() => iamTokenProvider({ mint: async () => 't', reuseMs: 15 * 60_000 })).toThrow(/between 1 ms and 15 minutes/);
  });

  test('the cleartext plugin refuses to send the token over a connection without TLS', () => {
    const plugin = cleartextPlugin(() => 'iam-token');
    expect(() => plugin({ connection: { stream: { encrypted: undefined } } })()).toThrow(expect.objectContaining({ code: 'DB_TLS_REQUIRED' }));
    expect(() => plugin({ connection: {} })()).toThrow(/without TLS/);
  });

  test('the cleartext plugin sends the token NUL-terminated over TLS', () => {
    const plugin = cleartextPlugin(() => 'iam-token');
    expect(plugin({ connection: { stream: { encrypted: true } } })()).toEqual(Buffer.from('iam-token\0'));
  });

  test('the AWS signer mints a 15-minute rds-db connect token offline', async () => {
    const signer = new Signer({
      hostname: 'orders.proxy-abc.eu-west-1.rds.amazonaws.com',
      port: 3306,
      username: 'app_user',
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    });
    const provider = iamTokenProvider({ mint: () => signer.getAuthToken() });
    const token = await provider.secret();
    expect(token).toMatch(/^orders\.proxy-abc\.eu-west-1\.rds\.amazonaws\.com:3306\/\?Action=connect&DBUser=app_user&/);
    expect(token).toContain('X-Amz-Expires=900');
    expect(await provider.secret()).toBe(token);
  });

  test('a password provider hands out its password and never mints', async () => {
    const provider = passwordProvider('pw');
    expect(provider.mode).toBe('password');
    expect(await provider.secret()).toBe('pw');
  });
});
