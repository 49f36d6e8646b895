import type { Ssm } from '../shared/aws/ssm';
import { HandlerError } from '../shared/errors';

/** Where the link-signing key comes from. */
export interface KeySource {
  key(): Promise<Buffer>;
}

/** A fixed key (tests, benchmarks). */
export class StaticKeySource implements KeySource {
  constructor(private readonly value: Buffer) {}
  public async key(): Promise<Buffer> {
    return this.value;
  }
}

/**
 * The link-signing key: a generated Secrets Manager secret, read through Parameter Store's
 * `/aws/reference/secretsmanager/<name>` path (one small SSM client instead of a Secrets Manager
 * client) and cached for `cacheMs`, with concurrent cold reads sharing one request.
 */
export class SecretReferenceKeySource implements KeySource {
  private cached?: { value: Buffer; until: number };
  private inflight?: Promise<Buffer>;

  constructor(
    private readonly ssm: Ssm,
    private readonly secretName: string,
    private readonly cacheMs = 300_000,
    private readonly now: () => number = Date.now,
  ) {}

  public async key(): Promise<Buffer> {
    const cached = this.cached;
    if (cached && cached.until > this.now()) return cached.value;
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async load(): Promise<Buffer> {
    const name = `/aws/reference/secretsmanager/${this.secretName}`;
    let value: string | undefined;
    try {
      const out = await this.ssm.getParameter({ Name: name, WithDecryption: true });
      value = out.Parameter?.Value;
    } catch (err) {
      throw new HandlerError('KEY_UNAVAILABLE', `the link-signing key could not be read: ${(err as Error).name}`, true, { cause: err });
    }
    if (!value || value.length < 32) {
      throw new HandlerError('KEY_INVALID', 'the link-signing secret is empty or shorter than 32 characters', false);
    }
    const key = Buffer.from(value, 'utf8');
    this.cached = { value: key, until: this.now() + this.cacheMs };
    return key;
  }
}
