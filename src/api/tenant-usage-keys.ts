import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ApiTenant } from './api-tier';
import { UsageKeySettings } from './authorizer-settings';
import { acknowledgeNagFindings } from '../core/nag';

/**
 * Above this many tenants the authorizer may read every API key of the account and region
 * (`/apikeys/*`) instead of a list of key ARNs, which would crowd IAM's inline-policy size limit.
 */
export const MAX_LISTED_TENANT_KEYS = 100;
/** Lambda's limit on the total size of a function's environment variables. */
const LAMBDA_ENVIRONMENT_BYTES = 4096;
/** API Gateway API key ids are 10 characters. */
const API_KEY_ID_CHARS = 10;

/**
 * The per-tenant usage keys of API key source `AUTHORIZER`: one API key per tenant in its
 * tier's usage plan, read permission for the authorizer, and the key ids for its settings.
 * Everything the authorizer sees is produced at synthesis, so tenants added after
 * construction land too.
 */
export class TenantUsageKeys {
  /** The keys by tenant id, in the order added. */
  public readonly keys: { [tenantId: string]: apigateway.IApiKey } = {};
  private readonly tenants: ApiTenant[] = [];
  private readPolicy?: iam.Policy;

  constructor(
    private readonly scope: Construct,
    private readonly restApi: apigateway.RestApi,
    private readonly plans: ReadonlyMap<string, apigateway.UsagePlan>,
    private readonly authorizerFunction: lambda.IFunction,
    private readonly cacheTtl: Duration,
  ) {}

  public get tenantIds(): string[] {
    return this.tenants.map((t) => t.tenantId);
  }

  /** Create the tenant's key in its tier's plan (validated by the caller) and return it. */
  public add(tenant: ApiTenant): apigateway.IApiKey {
    // Not restApi.addApiKey: that binds the key to a stage (StageKeys), and the authorizer,
    // which the stage's methods depend on, references the key: a dependency cycle. The usage
    // plan is what binds a key to the stages.
    const key = new apigateway.ApiKey(this.scope, `TenantKey-${tenant.tenantId}`, {
      apiKeyName: `${this.restApi.restApiName}-${tenant.tenantId}`,
      description: `Usage key of tenant ${tenant.tenantId} (tier ${tenant.tier}); the authorizer returns it as usageIdentifierKey`,
    });
    this.plans.get(tenant.tier)!.addApiKey(key);
    this.tenants.push(tenant);
    this.keys[tenant.tenantId] = key;
    this.grantRead();
    return key;
  }

  /** What the authorizer's settings carry: key ids, never values. */
  public settings(): UsageKeySettings {
    return {
      tenants: this.tenants.map((t) => ({ tenantId: t.tenantId, apiKeyId: this.keys[t.tenantId].keyId })),
      cacheTtlMs: this.cacheTtl.toMilliseconds(),
    };
  }

  /**
   * The tenant list travels in the authorizer's environment, which Lambda caps at 4 KB in
   * total: a deployment over it fails. Reported at synthesis when the environment's values
   * alone, counting every deploy-time reference but key ids as one character, exceed it.
   */
  public environmentProblems(): string[] {
    if (this.tenants.length === 0) return [];
    const stack = Stack.of(this.scope);
    const keyIds = new Set(Object.values(this.keys).map((k) => JSON.stringify(stack.resolve(k.keyId))));
    const atLeast = (value: unknown): number => {
      if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
      if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + atLeast(v), 0);
      const join = (value as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
      if (join) return join[1].reduce((sum: number, v) => sum + atLeast(v), 0) + join[0].length * Math.max(0, join[1].length - 1);
      return keyIds.has(JSON.stringify(value)) ? API_KEY_ID_CHARS : 1;
    };
    const cfn = this.authorizerFunction.node.defaultChild as lambda.CfnFunction;
    const variables = (stack.resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined)?.variables ?? {};
    const bytes = Object.values(variables).reduce((sum: number, v) => sum + atLeast(v), 0);
    if (bytes <= LAMBDA_ENVIRONMENT_BYTES) return [];
    return [`AuthorizedApi tenants: the authorizer's environment would hold at least ${bytes} bytes with ${this.tenants.length} tenants ` +
      `(each takes about 40 bytes plus its id), over Lambda's limit of ${LAMBDA_ENVIRONMENT_BYTES} bytes for all environment variables: ` +
      'meter fewer tenants per API, shorten tenant ids, or split the API'];
  }

  /** `apigateway:GET` on exactly the tenant keys (one policy, its key list produced at synthesis). */
  private grantRead(): void {
    if (this.tenants.length === MAX_LISTED_TENANT_KEYS + 1 && this.readPolicy) {
      acknowledgeNagFindings(this.readPolicy, [{
        id: 'AwsSolutions-IAM5',
        reason: `More than ${MAX_LISTED_TENANT_KEYS} tenants: listing every tenant key would crowd the inline role-policy size limit, so the ` +
          'authorizer may read any API key of the account and region (apigateway:GET only). It reads only the key ids of its settings.',
        appliesTo: [`Resource::${this.keyArn('*', true)}`],
      }]);
    }
    if (this.readPolicy) return;
    this.readPolicy = new iam.Policy(this.scope, 'TenantKeyReadPolicy', {
      statements: [new iam.PolicyStatement({
        actions: ['apigateway:GET'],
        resources: Lazy.list({
          produce: () => (this.tenants.length > MAX_LISTED_TENANT_KEYS
            ? [this.keyArn('*')]
            : this.tenants.map((t) => this.keyArn(this.keys[t.tenantId].keyId))),
        }),
      })],
    });
    this.readPolicy.attachToRole(this.authorizerFunction.role!);
    // the first request after a deployment must find the permission in place
    this.authorizerFunction.node.addDependency(this.readPolicy);
  }

  /** `arn:<partition>:apigateway:<region>::/apikeys/<id>`; `forNag` renders it as cdk-nag names the resource. */
  private keyArn(id: string, forNag = false): string {
    if (forNag) return `arn:<AWS::Partition>:apigateway:<AWS::Region>::/apikeys/${id}`;
    const stack = Stack.of(this.scope);
    return `arn:${stack.partition}:apigateway:${stack.region}::/apikeys/${id}`;
  }
}
