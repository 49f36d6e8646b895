import { AspectPriority, Aspects, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ApiAuthMode } from './api-auth';
import { authorizerSettings, createTokenAuthorizer } from './api-authorizer';
import { PublicRouteOptions, RouteOptions } from './api-route';
import { addTierUsagePlans, CachedRoute, methodSettings, stageOptions } from './api-stage';
import { ApiTenant } from './api-tier';
import { createApiAlarms } from './authorized-api-alarms';
import { AuthorizedApiProps } from './authorized-api-props';
import {
  DeclaredRoute, routeTableProblems, unknownThrottledRoutes, validateProps, validatePublicRoute, validateRoute, validateTenant,
} from './authorized-api-validation';
import { pascal } from './construct-ids';
import { RouteCoverageCheck } from './route-coverage';
import { addRouteMethod } from './route-method';
import { RouteRule } from './route-policy';
import { TenantUsageKeys } from './tenant-usage-keys';
import { AlarmedConstruct } from '../core/alarmed-construct';
import { createEncryptionKey, createLogGroup } from '../core/defaults';
import { acknowledgeNagFindings } from '../core/nag';

/**
 * An API Gateway REST API whose routes are guarded by the library's Lambda authorizer
 * (JWT via JWKS, Cognito, API keys) with a cached policy that is correct for every route,
 * request validation, per-stage throttling, an optional encrypted cache, usage-plan tiers,
 * JSON access logs, tracing and alarms.
 */
export class AuthorizedApi extends AlarmedConstruct {
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
  /** One API key per tier, in tier order; empty with `apiKeySource: AUTHORIZER` (the keys are the tenants', see `tenantApiKeys`). */
  public readonly apiKeys: apigateway.IApiKey[];
  /** The per-tenant API keys, by tenant id (`tenants` and `addTenant`); empty unless `apiKeySource` is `AUTHORIZER`. */
  public readonly tenantApiKeys: { [tenantId: string]: apigateway.IApiKey };
  /** JSON access logs of every stage. */
  public readonly accessLogGroup: logs.LogGroup;
  /** The key encrypting the access logs and the authorizer's log group: `encryptionKey`, or the one the API created. */
  public readonly encryptionKey: kms.IKey;
  /** The request validator every route uses (body and parameters). */
  public readonly requestValidator: apigateway.RequestValidator;
  /** 5XX-rate alarm per stage. */
  public readonly serverErrorAlarms: cloudwatch.IAlarm[];
  /** p99-latency alarm per stage. */
  public readonly latencyAlarms: cloudwatch.IAlarm[];
  /** Authorizer function errors (every request then fails). */
  public readonly authorizerErrorAlarm?: cloudwatch.IAlarm;
  /** The authorizer failed to read a tenant's usage key (`apiKeySource: AUTHORIZER` only). */
  public readonly usageKeyErrorAlarm?: cloudwatch.IAlarm;
  /** The web ACL created for the API, if any. */
  public readonly webAcl?: wafv2.CfnWebACL;
  /** The custom domain, if any. */
  public readonly domainName?: apigateway.DomainName;

  private readonly props: AuthorizedApiProps;
  /** The routes the authorizer decides (addRoute), in the order added. */
  private readonly routes: RouteRule[] = [];
  /** The routes served without credentials (addPublicRoute). */
  private readonly publicRoutes: DeclaredRoute[] = [];
  private readonly cachedRoutes: CachedRoute[] = [];
  private readonly policyScope: 'api' | 'method';
  /** API key source AUTHORIZER: the tenants' keys. */
  private readonly tenantKeys?: TenantUsageKeys;

  constructor(scope: Construct, id: string, props: AuthorizedApiProps) {
    super(scope, id, props.alarmTopic);
    this.props = props;
    this.stageNames = props.stages ?? ['prod'];
    validateProps(this, props, this.stageNames);
    const tokenAuth = props.auth.mode !== ApiAuthMode.API_KEY_ONLY;
    const apiKeySource = props.apiKeySource ?? apigateway.ApiKeySourceType.HEADER;
    const authorizerTtl = props.authorizerCacheTtl ?? Duration.minutes(5);
    this.policyScope = authorizerTtl.toSeconds() > 0 ? 'api' : 'method';

    this.encryptionKey = props.encryptionKey ?? createEncryptionKey(this, 'Key', {
      description: `Encrypts the access logs and the authorizer's log group of the API ${this.node.path}`,
      removalPolicy: props.removalPolicy,
    });
    this.accessLogGroup = createLogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
      encryptionKey: this.encryptionKey,
    });

    const [firstStage, ...otherStages] = this.stageNames;
    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      restApiName: props.apiName ?? this.node.path.replace(/\//g, '-'),
      description: props.description,
      endpointConfiguration: { types: [props.endpointType ?? apigateway.EndpointType.REGIONAL] },
      cloudWatchRole: props.cloudWatchRole ?? false,
      apiKeySourceType: apiKeySource,
      // undefined, not false, when off: templates of APIs that never set it stay as they were
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint ? true : undefined,
      defaultCorsPreflightOptions: props.cors,
      deploy: true,
      deployOptions: stageOptions(props, firstStage, this.accessLogGroup),
    });
    // One deployment, several stages: CloudFormation replaces the deployment when routes
    // change and every stage follows it in the same update.
    this.stages = [this.restApi.deploymentStage];
    for (const name of otherStages) {
      this.stages.push(new apigateway.Stage(this, `Stage${pascal(name)}`, {
        deployment: this.restApi.latestDeployment!,
        ...stageOptions(props, name, this.accessLogGroup),
      }));
    }
    this.stages.forEach((stage, i) => {
      const cfnStage = stage.node.defaultChild as apigateway.CfnStage;
      cfnStage.methodSettings = Lazy.any({ produce: () => methodSettings(props, this.stageNames[i], this.cachedRoutes) });
    });

    this.requestValidator = this.restApi.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    if (tokenAuth) {
      const { fn, authorizer } = createTokenAuthorizer(this, props, this.encryptionKey, authorizerTtl,
        () => authorizerSettings(Stack.of(this), props.auth, this.routes, this.policyScope, this.tenantKeys?.settings()));
      this.authorizerFunction = fn;
      this.authorizer = authorizer;
    }

    const tierPlans = addTierUsagePlans(this.restApi, props.tiers ?? [], this.stages, apiKeySource === apigateway.ApiKeySourceType.HEADER);
    this.usagePlans = tierPlans.usagePlans;
    this.apiKeys = tierPlans.apiKeys;
    if (apiKeySource === apigateway.ApiKeySourceType.AUTHORIZER && this.authorizerFunction) {
      const plans = new Map((props.tiers ?? []).map((tier, i) => [tier.name, this.usagePlans[i]]));
      this.tenantKeys = new TenantUsageKeys(this, this.restApi, plans, this.authorizerFunction, props.tenantKeyCacheTtl ?? Duration.hours(1));
      for (const tenant of props.tenants ?? []) this.tenantKeys.add(tenant);
    }
    this.tenantApiKeys = this.tenantKeys?.keys ?? {};

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
        mtls: props.customDomain.mtls,
      });
      this.domainName.addBasePathMapping(this.restApi, { stage: this.stages[this.stageNames.indexOf(stageName)] });
    }

    const alarms = createApiAlarms(this, this._alarmSet, props, this.stages, this.stageNames, this.authorizerFunction, this.tenantKeys !== undefined);
    this.serverErrorAlarms = alarms.serverErrorAlarms;
    this.latencyAlarms = alarms.latencyAlarms;
    this.authorizerErrorAlarm = alarms.authorizerErrorAlarm;
    this.usageKeyErrorAlarm = alarms.usageKeyErrorAlarm;

    this.node.addValidation({ validate: () => routeTableProblems(this.routes, this.policyScope, props.auth, this.stageNames) });
    this.node.addValidation({ validate: () => unknownThrottledRoutes(props, this.declaredRoutes()) });
    this.node.addValidation({ validate: () => this.tenantKeys?.environmentProblems() ?? [] });
    // Every method of the API must be a declared route (or carry an authorization of its own).
    Aspects.of(this).add(new RouteCoverageCheck(this.restApi, { kindOf: (method, path) => this.routeKind(method, path) }, this.authorizer),
      { priority: AspectPriority.READONLY });
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
    const httpMethod = method.toUpperCase();
    validateRoute(this, this.props, this.declaredRoutes(), httpMethod, path, options);
    const tokenAuth = this.props.auth.mode !== ApiAuthMode.API_KEY_ONLY;
    const methodResource = addRouteMethod(this.restApi, this.requestValidator, httpMethod, path, integration, options, {
      authorizer: tokenAuth ? this.authorizer : undefined,
      authorizationType: tokenAuth ? apigateway.AuthorizationType.CUSTOM : apigateway.AuthorizationType.NONE,
      apiKeyRequired: (this.props.tiers ?? []).length > 0,
    });
    if (options.cacheable) this.cachedRoutes.push({ method: httpMethod, path });
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
    this.routes.push({ method: httpMethod, path, scopes: options.scopes ?? [] });
    return methodResource;
  }

  /**
   * Add a route anyone may call: no authorizer and no API key (stage throttling and WAF
   * still apply). This is the only way to add a method without authorization: synthesis
   * fails for any other method of the API that has none.
   *
   * @param method GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or ANY
   * @param path resource template, e.g. `/health`
   */
  public addPublicRoute(method: string, path: string, integration: apigateway.Integration, options: PublicRouteOptions): apigateway.Method {
    const httpMethod = method.toUpperCase();
    validatePublicRoute(this, this.props, this.declaredRoutes(), httpMethod, path, options);
    const methodResource = addRouteMethod(this.restApi, this.requestValidator, httpMethod, path, integration, options, {
      authorizationType: apigateway.AuthorizationType.NONE,
      apiKeyRequired: false,
    });
    if (options.cacheable) this.cachedRoutes.push({ method: httpMethod, path });
    const reason = `Declared public with addPublicRoute(): ${options.reason}`;
    acknowledgeNagFindings(methodResource, [{ id: 'AwsSolutions-APIG4', reason }, { id: 'AwsSolutions-COG4', reason }]);
    this.publicRoutes.push({ method: httpMethod, path });
    return methodResource;
  }

  /**
   * Meter a tenant on its own API key in `tenant.tier`'s usage plan (needs `apiKeySource:
   * AUTHORIZER`). The authorizer returns that key as `usageIdentifierKey` for every verified
   * credential of the tenant; its settings and read permission are produced at synthesis,
   * so tenants may be added after construction.
   *
   * @returns the tenant's API key (its value is generated by API Gateway)
   */
  public addTenant(tenant: ApiTenant): apigateway.IApiKey {
    validateTenant(this, this.props, this.tenantKeys?.tenantIds ?? [], tenant);
    return this.tenantKeys!.add(tenant);
  }

  private declaredRoutes(): DeclaredRoute[] {
    return [...this.routes, ...this.publicRoutes];
  }

  private routeKind(method: string, path: string): 'guarded' | 'public' | undefined {
    const same = (r: DeclaredRoute) => r.method === method && r.path === path;
    if (this.routes.some(same)) return 'guarded';
    return this.publicRoutes.some(same) ? 'public' : undefined;
  }
}
