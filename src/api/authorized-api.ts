import { Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ApiAuth, ApiAuthMode } from './api-auth';
import { RouteOptions } from './api-route';
import { ApiThrottling, ApiTier } from './api-tier';
import { ambiguousRoutePairs, maxRoutePolicyBytes, RouteRule } from './route-policy';
import { ConstructAlarms } from '../core/alarms';
import { createLogGroup } from '../core/defaults';
import { HandlerFunction } from '../core/handler-function';
import { acknowledgeNagFindings } from '../core/nag';
import { PropsValidator } from '../core/validation';

/** The stage cache (API Gateway cache cluster), encrypted. */
export interface ApiCacheOptions {
  /** Time to live of cached responses (0-3600 s). @default Duration.minutes(5) */
  readonly ttl?: Duration;
  /** Cache cluster size in GB: 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118 or 237. @default '0.5' */
  readonly size?: string;
}

/** A WAF web ACL in front of every stage. */
export interface ApiWafOptions {
  /** An existing REGIONAL web ACL to associate. @default - a new web ACL with a per-IP rate-based rule */
  readonly webAclArn?: string;
  /** Requests per 5 minutes per client IP before the new web ACL blocks (100-2000000000). @default 2000 */
  readonly rateLimitPer5Minutes?: number;
}

/** A custom domain name mapped to one stage. */
export interface ApiCustomDomainOptions {
  /** e.g. `api.example.com`. */
  readonly domainName: string;
  /** ACM certificate for the name (in the stack's region for a REGIONAL endpoint). */
  readonly certificate: acm.ICertificate;
  /** The stage served at the domain's root. @default - the last stage */
  readonly stage?: string;
}

/** Properties of an {@link AuthorizedApi}. */
export interface AuthorizedApiProps {
  /** How callers authenticate: `ApiAuth.jwt(...)`, `ApiAuth.cognito(pool)` or `ApiAuth.apiKeyOnly()`. */
  readonly auth: ApiAuth;
  /** @default - the construct path */
  readonly apiName?: string;
  /** @default - none */
  readonly description?: string;
  /** Stage names (letters, digits, `_`), all deployed from one deployment. @default ['prod'] */
  readonly stages?: string[];
  /** Stage-level throttling applied to every stage. @default { rateLimit: 100, burstLimit: 200 } */
  readonly throttling?: ApiThrottling;
  /** Per-stage throttling overrides, keyed by stage name. @default - `throttling` everywhere */
  readonly stageThrottling?: { [stage: string]: ApiThrottling };
  /** Stage cache for `cacheable` routes, encrypted at rest. @default - no cache cluster */
  readonly cache?: ApiCacheOptions;
  /** Usage-plan tiers, each with an API key; when given, every route requires an API key (`x-api-key`). @default - none */
  readonly tiers?: ApiTier[];
  /**
   * How long API Gateway caches the authorizer's decision per token (0-3600 s). When > 0 the
   * authorizer returns a policy covering every route the token's scopes allow, so the cached
   * decision is right for every route. 0 disables caching (one Lambda call per request).
   * @default Duration.minutes(5)
   */
  readonly authorizerCacheTtl?: Duration;
  /** @default EndpointType.REGIONAL */
  readonly endpointType?: apigateway.EndpointType;
  /** CORS preflight for every resource. @default - no CORS */
  readonly cors?: apigateway.CorsOptions;
  /**
   * Execution logging level. Execution logs need the account-level API Gateway CloudWatch
   * role (`AWS::ApiGateway::Account`): when the account has none, stage creation fails;
   * set `cloudWatchRole: true` or use `MethodLoggingLevel.OFF`.
   * @default MethodLoggingLevel.ERROR
   */
  readonly executionLogLevel?: apigateway.MethodLoggingLevel;
  /**
   * Create the account-wide API Gateway CloudWatch role. It is a per-region singleton that
   * other stacks may own: creating it here overwrites theirs.
   * @default false
   */
  readonly cloudWatchRole?: boolean;
  /** Per-method CloudWatch metrics (billed per metric). @default false */
  readonly detailedMetrics?: boolean;
  /** WAF web ACL association. @default - none */
  readonly waf?: ApiWafOptions;
  /** Custom domain. @default - none */
  readonly customDomain?: ApiCustomDomainOptions;
  /** 5XX rate (fraction of requests, per 5 minutes) that alarms. @default 0.05 */
  readonly serverErrorRateThreshold?: number;
  /** p99 latency that alarms. @default Duration.seconds(3) */
  readonly latencyP99Threshold?: Duration;
  /** Alarms notify this topic. @default - no notification */
  readonly alarmTopic?: sns.ITopic;
  /** Removal policy of the log groups. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** @default DEFAULT_LOG_RETENTION (one month) */
  readonly logRetention?: logs.RetentionDays;
  /** KMS key of the access log group (its key policy must allow CloudWatch Logs). @default - CloudWatch Logs encryption */
  readonly encryptionKey?: kms.IKey;
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'];
const CACHE_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];
const STAGE_NAME = /^[A-Za-z0-9_]{1,128}$/;
const TIER_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,256}$/;
const PATH = /^\/$|^(\/([A-Za-z0-9._~-]+|\{[A-Za-z0-9_]+\}|\{[A-Za-z0-9_]+\+\}))+$/;
/** API Gateway's limit on a Lambda authorizer's policy is 8 KiB; keep the whole policy under it. */
const MAX_POLICY_BYTES = 8192;
/** `arn:aws-us-gov:execute-api:` + longest region + account + api id, as the runtime sees them. */
const ARN_PREFIX_FIXED_CHARS = 'arn:aws-us-gov:execute-api:'.length + 16 + 1 + 12 + 1 + 10 + 1 + 1;

/**
 * An API Gateway REST API whose routes are guarded by the library's Lambda authorizer
 * (JWT via JWKS, Cognito, API keys) with a cached policy that is correct for every route,
 * request validation, per-stage throttling, an optional encrypted cache, usage-plan tiers,
 * JSON access logs, tracing and alarms.
 */
export class AuthorizedApi extends Construct {
  /** The REST API. */
  public readonly restApi: apigateway.RestApi;
  /** The authorizer function; undefined with `ApiAuth.apiKeyOnly()`. */
  public readonly authorizerFunction?: lambda.IFunction;
  /** The token authorizer; undefined with `ApiAuth.apiKeyOnly()`. */
  public readonly authorizer?: apigateway.IAuthorizer;
  /** One Stage per stage name, in the order given. */
  public readonly stages: apigateway.Stage[];
  /** The stage names, in the order of `stages`. */
  public readonly stageNames: string[];
  /** One usage plan per tier. */
  public readonly usagePlans: apigateway.UsagePlan[];
  /** One API key per tier, in tier order. */
  public readonly apiKeys: apigateway.IApiKey[];
  /** JSON access logs of every stage. */
  public readonly accessLogGroup: logs.LogGroup;
  /** The request validator every route uses (body and parameters). */
  public readonly requestValidator: apigateway.RequestValidator;
  /** 5XX-rate alarm per stage. */
  public readonly serverErrorAlarms: cloudwatch.IAlarm[];
  /** p99-latency alarm per stage. */
  public readonly latencyAlarms: cloudwatch.IAlarm[];
  /** Authorizer function errors (every request then fails). */
  public readonly authorizerErrorAlarm?: cloudwatch.IAlarm;
  /** The web ACL created for the API, if any. */
  public readonly webAcl?: wafv2.CfnWebACL;
  /** The custom domain, if any. */
  public readonly domainName?: apigateway.DomainName;

  private readonly props: AuthorizedApiProps;
  private readonly alarmSet: ConstructAlarms;
  private readonly routes: RouteRule[] = [];
  private readonly cachedRoutes: Array<{ method: string; path: string }> = [];
  private readonly policyScope: 'api' | 'method';

  constructor(scope: Construct, id: string, props: AuthorizedApiProps) {
    super(scope, id);
    this.props = props;
    this.stageNames = props.stages ?? ['prod'];
    validateProps(this, props, this.stageNames);
    const tokenAuth = props.auth.mode !== ApiAuthMode.API_KEY_ONLY;
    const authorizerTtl = props.authorizerCacheTtl ?? Duration.minutes(5);
    this.policyScope = authorizerTtl.toSeconds() > 0 ? 'api' : 'method';

    this.accessLogGroup = createLogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
      encryptionKey: props.encryptionKey,
    });

    const [firstStage, ...otherStages] = this.stageNames;
    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      restApiName: props.apiName ?? this.node.path.replace(/\//g, '-'),
      description: props.description,
      endpointConfiguration: { types: [props.endpointType ?? apigateway.EndpointType.REGIONAL] },
      cloudWatchRole: props.cloudWatchRole ?? false,
      apiKeySourceType: apigateway.ApiKeySourceType.HEADER,
      defaultCorsPreflightOptions: props.cors,
      deploy: true,
      deployOptions: this.stageOptions(firstStage),
    });
    // One deployment, several stages: CloudFormation replaces the deployment when routes
    // change and every stage follows it in the same update.
    this.stages = [this.restApi.deploymentStage];
    for (const name of otherStages) {
      this.stages.push(new apigateway.Stage(this, `Stage${pascal(name)}`, {
        deployment: this.restApi.latestDeployment!,
        ...this.stageOptions(name),
      }));
    }
    this.stages.forEach((stage, i) => {
      (stage.node.defaultChild as apigateway.CfnStage).methodSettings = Lazy.any({ produce: () => this.methodSettings(this.stageNames[i]) });
    });

    this.requestValidator = this.restApi.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    if (tokenAuth) {
      const fn = new HandlerFunction(this, 'Authorizer', {
        handlerName: 'authorizer',
        description: `Lambda authorizer of ${this.node.path}: verifies JWTs / API keys, decides per route from scopes`,
        timeout: Duration.seconds(5),
        logRetention: props.logRetention,
        removalPolicy: props.removalPolicy,
        environment: { AUTHORIZER_SETTINGS: Lazy.string({ produce: () => this.authorizerSettings() }) },
        nagAcknowledgements: [{
          id: 'Serverless-LambdaDLQ',
          reason: 'API Gateway invokes the authorizer synchronously and turns its failure into a 401: there is no event to dead-letter.',
        }, {
          id: 'Serverless-LambdaAsyncFailureDestination',
          reason: 'API Gateway invokes the authorizer synchronously; there are no asynchronous invocations to route.',
        }],
      });
      this.authorizerFunction = fn.function;
      this.authorizer = new apigateway.TokenAuthorizer(this, 'TokenAuthorizer', {
        handler: fn.function,
        identitySource: apigateway.IdentitySource.header('Authorization'),
        // rejected by API Gateway (401) without invoking the function
        validationRegex: '^(Bearer|ApiKey) [A-Za-z0-9._~+/=-]+$',
        resultsCacheTtl: authorizerTtl,
      });
    }

    this.usagePlans = [];
    this.apiKeys = [];
    for (const tier of props.tiers ?? []) {
      const plan = this.restApi.addUsagePlan(`Tier${pascal(tier.name)}`, {
        name: `${this.restApi.restApiName}-${tier.name}`,
        throttle: { rateLimit: tier.rateLimit, burstLimit: tier.burstLimit },
        quota: tier.quotaPerDay !== undefined ? { limit: tier.quotaPerDay, period: apigateway.Period.DAY } : undefined,
        apiStages: this.stages.map((stage) => ({ api: this.restApi, stage })),
      });
      const key = this.restApi.addApiKey(`Tier${pascal(tier.name)}Key`, { description: `API key of tier ${tier.name}` });
      plan.addApiKey(key);
      this.usagePlans.push(plan);
      this.apiKeys.push(key);
    }

    if (props.waf) {
      let webAclArn = props.waf.webAclArn;
      if (!webAclArn) {
        this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
          scope: 'REGIONAL',
          defaultAction: { allow: {} },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'AuthorizedApiWebAcl', sampledRequestsEnabled: true },
          rules: [{
            name: 'RateLimitPerIp',
            priority: 0,
            action: { block: {} },
            statement: { rateBasedStatement: { limit: props.waf.rateLimitPer5Minutes ?? 2000, aggregateKeyType: 'IP' } },
            visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'RateLimitPerIp', sampledRequestsEnabled: true },
          }],
        });
        webAclArn = this.webAcl.attrArn;
      }
      this.stages.forEach((stage, i) => {
        const association = new wafv2.CfnWebACLAssociation(this, `WebAclAssociation${i}`, { resourceArn: stage.stageArn, webAclArn: webAclArn! });
        association.node.addDependency(stage);
      });
    }

    if (props.customDomain) {
      const stageName = props.customDomain.stage ?? this.stageNames[this.stageNames.length - 1];
      this.domainName = new apigateway.DomainName(this, 'CustomDomain', {
        domainName: props.customDomain.domainName,
        certificate: props.customDomain.certificate,
        endpointType: props.endpointType ?? apigateway.EndpointType.REGIONAL,
        securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
      });
      this.domainName.addBasePathMapping(this.restApi, { stage: this.stages[this.stageNames.indexOf(stageName)] });
    }

    this.alarmSet = new ConstructAlarms(props.alarmTopic);
    const errorRate = props.serverErrorRateThreshold ?? 0.05;
    const latency = props.latencyP99Threshold ?? Duration.seconds(3);
    this.serverErrorAlarms = this.stages.map((stage, i) => this.alarmSet.create(this, `ServerErrorRateAlarm${pascal(this.stageNames[i])}`, {
      metric: stage.metricServerError({ statistic: cloudwatch.Stats.AVERAGE, period: Duration.minutes(5) }),
      threshold: errorRate,
      description: `More than ${errorRate * 100}% of requests to stage ${this.stageNames[i]} failed with 5XX in 5 minutes: ` +
        'check the integration and authorizer logs.',
    }));
    this.latencyAlarms = this.stages.map((stage, i) => this.alarmSet.create(this, `LatencyP99Alarm${pascal(this.stageNames[i])}`, {
      metric: stage.metricLatency({ statistic: cloudwatch.Stats.p(99), period: Duration.minutes(5) }),
      threshold: latency.toMilliseconds(),
      description: `p99 latency of stage ${this.stageNames[i]} exceeded ${latency.toHumanString()} for 5 minutes: check IntegrationLatency and the backend.`,
    }));
    if (this.authorizerFunction) {
      this.authorizerErrorAlarm = this.alarmSet.create(this, 'AuthorizerErrorAlarm', {
        metric: this.authorizerFunction.metricErrors({ period: Duration.minutes(5) }),
        threshold: 1,
        description: 'The authorizer function failed: callers get 401 on every route. Check its log group.',
      });
    }

    this.node.addValidation({ validate: () => this.validateRouteTable() });
  }

  /** Every alarm of the API. */
  public get alarms(): cloudwatch.IAlarm[] {
    return this.alarmSet.alarms;
  }

  /** Notify these actions on every alarm, present and future (ALARM and OK). */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    this.alarmSet.addAlarmAction(...actions);
  }

  /**
   * Add a route guarded by the authorizer (or the tier API keys), with request validation.
   * Request/response mapping for non-proxy integrations lives in the integration
   * (`requestTemplates`, `integrationResponses`) plus `options.methodResponses`.
   *
   * @param method GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY
   * @param path resource template, e.g. `/orders/{id}`
   */
  public addRoute(method: string, path: string, integration: apigateway.Integration, options: RouteOptions = {}): apigateway.Method {
    const v = new PropsValidator(this, 'AuthorizedApi.addRoute');
    const httpMethod = method.toUpperCase();
    v.oneOf('method', httpMethod, HTTP_METHODS);
    v.matches('path', path, PATH, "'/' or '/'-separated segments of [A-Za-z0-9._~-], {param} or a final {proxy+}");
    if (PATH.test(path) && /\{[^}]+\+\}./.test(path)) v.fail('path', 'may only end with a {proxy+} segment', path);
    v.check(!this.routes.some((r) => r.method === httpMethod && r.path === path), 'route', 'must be added once', `${httpMethod} ${path}`);
    const scopes = options.scopes ?? [];
    if (this.props.auth.mode === ApiAuthMode.API_KEY_ONLY && scopes.length > 0) {
      v.fail('scopes', 'cannot be used with ApiAuth.apiKeyOnly() (API keys carry no scopes; use ApiAuth.jwt or ApiAuth.cognito)', scopes.join(' '));
    }
    for (const s of scopes) v.matches('scopes', s, SCOPE, 'printable ASCII without spaces, quotes or backslashes (1-256 characters)');
    if (options.cacheable && !this.props.cache) v.fail('cacheable', 'needs the cache prop (a stage cache cluster)', true);
    if (options.cacheable && httpMethod !== 'GET') v.fail('cacheable', 'is only meaningful for GET routes', httpMethod);
    v.throwIfInvalid();

    const resource = path === '/' ? this.restApi.root : this.restApi.root.resourceForPath(path);
    const requestParameters: { [param: string]: boolean } = { ...options.requestParameters };
    if (options.cacheable) requestParameters['method.request.header.Authorization'] = true;
    const tokenAuth = this.props.auth.mode !== ApiAuthMode.API_KEY_ONLY;
    const methodResource = resource.addMethod(httpMethod, integration, {
      authorizer: tokenAuth ? this.authorizer : undefined,
      authorizationType: tokenAuth ? apigateway.AuthorizationType.CUSTOM : apigateway.AuthorizationType.NONE,
      apiKeyRequired: (this.props.tiers ?? []).length > 0,
      requestValidator: this.requestValidator,
      requestModels: options.bodySchema ? {
        'application/json': this.restApi.addModel(`Model${pascal(httpMethod)}${pascal(path) || 'Root'}`, {
          contentType: 'application/json',
          schema: options.bodySchema,
        }),
      } : undefined,
      requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : undefined,
      methodResponses: options.methodResponses,
      operationName: options.operationName,
    });
    if (options.cacheable) {
      // Cache entries are per caller: one tenant's response must never be served to another.
      const cfn = methodResource.node.defaultChild as apigateway.CfnMethod;
      cfn.addPropertyOverride('Integration.CacheKeyParameters', ['method.request.header.Authorization']);
      this.cachedRoutes.push({ method: httpMethod, path });
    }
    if (tokenAuth) {
      acknowledgeNagFindings(methodResource, [{
        id: 'AwsSolutions-COG4',
        reason: 'The route is protected by the library\'s Lambda authorizer, which verifies Cognito or other OIDC JWTs against a static ' +
          'issuer allowlist and enforces per-route scopes; a Cognito user pool authorizer could not accept non-Cognito issuers or API-key clients.',
      }]);
    } else {
      acknowledgeNagFindings(methodResource, [{
        id: 'AwsSolutions-APIG4',
        reason: 'ApiAuth.apiKeyOnly(): API Gateway requires a valid API key of a usage-plan tier on every route (apiKeyRequired).',
      }, {
        id: 'AwsSolutions-COG4',
        reason: 'ApiAuth.apiKeyOnly(): callers are machines identified by usage-plan API keys, not Cognito users.',
      }]);
    }
    this.routes.push({ method: httpMethod, path, scopes });
    return methodResource;
  }

  private stageOptions(stageName: string): apigateway.StageOptions {
    const p = this.props;
    const throttle = p.stageThrottling?.[stageName] ?? p.throttling ?? { rateLimit: 100, burstLimit: 200 };
    return {
      stageName,
      tracingEnabled: true,
      accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
      accessLogFormat: accessLogFormat(),
      loggingLevel: p.executionLogLevel ?? apigateway.MethodLoggingLevel.ERROR,
      dataTraceEnabled: false,
      metricsEnabled: p.detailedMetrics ?? false,
      throttlingRateLimit: throttle.rateLimit,
      throttlingBurstLimit: throttle.burstLimit,
      cacheClusterEnabled: p.cache ? true : undefined,
      cacheClusterSize: p.cache ? p.cache.size ?? '0.5' : undefined,
    };
  }

  /** Stage method settings: defaults for every method, then one entry per cacheable route. */
  private methodSettings(stageName: string): apigateway.CfnStage.MethodSettingProperty[] {
    const p = this.props;
    const throttle = p.stageThrottling?.[stageName] ?? p.throttling ?? { rateLimit: 100, burstLimit: 200 };
    const common = {
      loggingLevel: p.executionLogLevel ?? apigateway.MethodLoggingLevel.ERROR,
      dataTraceEnabled: false,
      metricsEnabled: p.detailedMetrics ?? false,
      throttlingRateLimit: throttle.rateLimit,
      throttlingBurstLimit: throttle.burstLimit,
      ...(p.cache ? { cacheDataEncrypted: true } : {}),
    };
    const settings: apigateway.CfnStage.MethodSettingProperty[] = [{ resourcePath: '/*', httpMethod: '*', ...common, cachingEnabled: false }];
    for (const route of this.cachedRoutes) {
      settings.push({
        resourcePath: '/' + route.path.replace(/\//g, '~1'),
        httpMethod: route.method,
        ...common,
        cachingEnabled: true,
        cacheTtlInSeconds: (p.cache?.ttl ?? Duration.minutes(5)).toSeconds(),
      });
    }
    return settings;
  }

  private authorizerSettings(): string {
    const stack = Stack.of(this);
    const auth = this.props.auth;
    const tokenOptions = auth.tokenOptions;
    return stack.toJsonString({
      issuers: [issuerSettings(stack, auth)],
      apiKeys: (tokenOptions?.apiKeyClients ?? []).map((c) => ({ id: c.id, sha256: c.keySha256, tenantId: c.tenantId, scopes: c.scopes ?? [] })),
      routes: this.routes,
      policyScope: this.policyScope,
      clockToleranceSec: (tokenOptions?.clockTolerance ?? Duration.seconds(30)).toSeconds(),
    });
  }

  private validateRouteTable(): string[] {
    const problems: string[] = [];
    if (this.routes.length === 0) problems.push('AuthorizedApi has no routes: add at least one with addRoute()');
    if (this.policyScope !== 'api' || this.props.auth.mode === ApiAuthMode.API_KEY_ONLY) return problems;
    const longestStage = Math.max(...this.stageNames.map((s) => s.length));
    const bytes = maxRoutePolicyBytes(this.routes, ARN_PREFIX_FIXED_CHARS + longestStage);
    if (bytes > MAX_POLICY_BYTES) {
      problems.push(`the cached authorizer policy for ${this.routes.length} routes can reach ${bytes} bytes, over the ${MAX_POLICY_BYTES}-byte limit: ` +
        'set authorizerCacheTtl to Duration.seconds(0) (one authorizer call per request) or split the API');
    }
    for (const [allowed, denied] of ambiguousRoutePairs(this.routes)) {
      problems.push(`routes '${denied.method} ${denied.path}' (scopes ${fmt(denied.scopes)}) and '${allowed.method} ${allowed.path}' ` +
        `(scopes ${fmt(allowed.scopes)}) cannot share a cached authorizer policy: an IAM wildcard of one covers the other. ` +
        'Give them the same scopes or set authorizerCacheTtl to Duration.seconds(0)');
    }
    return problems;
  }
}

function validateProps(scope: Construct, props: AuthorizedApiProps, stages: string[]): void {
  const v = new PropsValidator(scope, 'AuthorizedApi');
  v.check(stages.length > 0, 'stages', 'must name at least one stage', '[]');
  for (const s of stages) v.matches('stages', s, STAGE_NAME, 'letters, digits or _ (1-128 characters)');
  v.check(new Set(stages).size === stages.length, 'stages', 'must not repeat a name', stages.join(','));
  const throttle = (prop: string, t: ApiThrottling | undefined) => {
    if (!t) return;
    v.inRange(`${prop}.rateLimit`, t.rateLimit, 0.001, 10000);
    v.integerInRange(`${prop}.burstLimit`, t.burstLimit, 0, 5000);
  };
  throttle('throttling', props.throttling);
  for (const [stage, t] of Object.entries(props.stageThrottling ?? {})) {
    v.check(stages.includes(stage), 'stageThrottling', `must only name stages of the API (${stages.join(', ')})`, stage);
    throttle(`stageThrottling.${stage}`, t);
  }
  if (props.cache) {
    v.durationInRange('cache.ttl', props.cache.ttl, Duration.seconds(0), Duration.hours(1));
    v.oneOf('cache.size', props.cache.size, CACHE_SIZES);
  }
  v.durationInRange('authorizerCacheTtl', props.authorizerCacheTtl, Duration.seconds(0), Duration.hours(1));
  const tiers = props.tiers ?? [];
  for (const t of tiers) {
    v.matches('tiers.name', t.name, TIER_NAME, 'letters, digits, - or _ (1-64 characters)');
    v.inRange(`tiers[${t.name}].rateLimit`, t.rateLimit, 0.001, 10000);
    v.integerInRange(`tiers[${t.name}].burstLimit`, t.burstLimit, 0, 5000);
    v.integerInRange(`tiers[${t.name}].quotaPerDay`, t.quotaPerDay, 1, 2_000_000_000);
  }
  v.check(new Set(tiers.map((t) => t.name)).size === tiers.length, 'tiers', 'must not repeat a tier name', tiers.map((t) => t.name).join(','));
  if (props.auth.mode === ApiAuthMode.API_KEY_ONLY) {
    v.check(tiers.length > 0, 'tiers', 'must hold at least one tier with ApiAuth.apiKeyOnly() (API keys only work through usage plans)', '[]');
  }
  const token = props.auth.tokenOptions;
  if (token) {
    v.durationInRange('auth.clockTolerance', token.clockTolerance, Duration.seconds(0), Duration.minutes(5));
    v.matches('auth.fixedTenantId', token.fixedTenantId, /^[A-Za-z0-9._:-]{1,128}$/, 'letters, digits, . _ : - (1-128 characters)');
    const ids = new Set<string>();
    for (const c of token.apiKeyClients ?? []) {
      v.matches('auth.apiKeyClients.keySha256', c.keySha256, /^[0-9a-f]{64}$/, '64 lower-case hex characters (the SHA-256 of the key, never the key)');
      v.matches('auth.apiKeyClients.tenantId', c.tenantId, /^[A-Za-z0-9._:-]{1,128}$/, 'letters, digits, . _ : - (1-128 characters)');
      v.check(!ids.has(c.id), 'auth.apiKeyClients.id', 'must be unique', c.id);
      ids.add(c.id);
    }
  }
  const jwt = props.auth.jwtProps;
  if (jwt) {
    v.matches('auth.issuer', jwt.issuer, /^https:\/\/\S+$/, 'an https URL');
    v.check(jwt.audience.length > 0, 'auth.audience', 'must hold at least one audience', '[]');
    v.matches('auth.jwksUri', jwt.jwksUri, /^https:\/\/\S+$/, 'an https URL (aws-jwt-verify fetches keys over HTTPS only)');
    for (const a of jwt.algorithms ?? []) v.oneOf('auth.algorithms', a, ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'EdDSA']);
    if (jwt.jwks !== undefined && !Token.isUnresolved(jwt.jwks)) {
      let ok = false;
      try {
        const parsed = JSON.parse(jwt.jwks);
        ok = Array.isArray(parsed?.keys) && parsed.keys.every((k: { kid?: unknown; kty?: unknown; d?: unknown }) =>
          typeof k.kid === 'string' && typeof k.kty === 'string' && k.d === undefined);
      } catch {
        ok = false;
      }
      v.check(ok, 'auth.jwks', 'must be a JWKS JSON document of public keys, each with kid and kty', jwt.jwks.slice(0, 60));
    }
  }
  if (props.waf) v.integerInRange('waf.rateLimitPer5Minutes', props.waf.rateLimitPer5Minutes, 100, 2_000_000_000);
  if (props.customDomain?.stage !== undefined) {
    v.check(stages.includes(props.customDomain.stage), 'customDomain.stage', `must be one of the stages (${stages.join(', ')})`, props.customDomain.stage);
  }
  v.inRange('serverErrorRateThreshold', props.serverErrorRateThreshold, 0.0001, 1);
  v.durationInRange('latencyP99Threshold', props.latencyP99Threshold, Duration.millis(10), Duration.seconds(29));
  v.throwIfInvalid();
}

/** JSON access log line: request, caller (tenant from the authorizer context), outcome, latencies. */
function accessLogFormat(): apigateway.AccessLogFormat {
  const f = apigateway.AccessLogField;
  return apigateway.AccessLogFormat.custom(JSON.stringify({
    requestId: f.contextRequestId(),
    extendedRequestId: f.contextExtendedRequestId(),
    requestTime: f.contextRequestTime(),
    stage: f.contextStage(),
    httpMethod: f.contextHttpMethod(),
    resourcePath: f.contextResourcePath(),
    status: f.contextStatus(),
    protocol: f.contextProtocol(),
    responseLength: f.contextResponseLength(),
    sourceIp: f.contextIdentitySourceIp(),
    principalId: f.contextAuthorizerPrincipalId(),
    tenantId: f.contextAuthorizer('tenantId'),
    authorizerStatus: '$context.authorizer.status',
    authorizerLatency: '$context.authorizer.integrationLatency',
    authorizerError: f.contextAuthorizerError(),
    apiKeyId: f.contextIdentityApiKeyId(),
    integrationLatency: f.contextIntegrationLatency(),
    responseLatency: f.contextResponseLatency(),
    errorMessage: f.contextErrorMessage(),
    wafStatus: '$context.waf.status',
    xrayTraceId: f.contextXrayTraceId(),
  }));
}

function pascal(value: string): string {
  return value.split(/[^A-Za-z0-9]+/).filter((s) => s.length > 0).map((s) => s[0].toUpperCase() + s.slice(1)).join('');
}

function fmt(scopes: readonly string[]): string {
  return scopes.length === 0 ? '(any)' : scopes.join(' ');
}

/** The issuer entry of the authorizer settings (see lambda-src/authorizer/settings.ts). */
function issuerSettings(scope: Stack, auth: ApiAuth): Record<string, unknown> | undefined {
  const common = auth.tokenOptions;
  if (!common) return undefined;
  const shared = {
    tenantClaim: common.tenantClaim,
    fixedTenantId: common.fixedTenantId,
    requiredClaims: common.requiredClaims,
  };
  if (auth.mode === ApiAuthMode.JWT && auth.jwtProps) {
    const p = auth.jwtProps;
    return {
      ...shared,
      issuer: p.issuer,
      audiences: p.audience,
      jwksUri: p.jwksUri,
      jwks: p.jwks ? JSON.parse(p.jwks) : undefined,
      algorithms: p.algorithms,
    };
  }
  const pool = auth.userPool!;
  const issuer = `https://cognito-idp.${scope.region}.${scope.urlSuffix}/${pool.userPoolId}`;
  return {
    ...shared,
    issuer,
    audiences: [],
    jwksUri: `${issuer}/.well-known/jwks.json`,
    tokenUse: auth.cognitoOptions?.tokenUse ?? 'access',
    clientIds: auth.cognitoOptions?.userPoolClients?.map((c) => c.userPoolClientId),
    algorithms: ['RS256'],
  };
}
