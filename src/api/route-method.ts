import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { BaseRouteOptions } from './api-route';
import { pascal } from './construct-ids';

/** How the method of a route is authorized. */
export interface RouteAuthorization {
  readonly authorizer?: apigateway.IAuthorizer;
  readonly authorizationType: apigateway.AuthorizationType;
  readonly apiKeyRequired: boolean;
}

const AUTHORIZATION_HEADER = 'method.request.header.Authorization';

/**
 * The method of one route (guarded or public): request validation, the body model, and for a
 * cacheable route a cache key that keeps callers and resources apart.
 */
export function addRouteMethod(restApi: apigateway.RestApi, requestValidator: apigateway.IRequestValidator, httpMethod: string, path: string,
  integration: apigateway.Integration, options: BaseRouteOptions, authorization: RouteAuthorization): apigateway.Method {
  const resource = path === '/' ? restApi.root : restApi.root.resourceForPath(path);
  const requestParameters: { [param: string]: boolean } = { ...options.requestParameters };
  const caller = callerParameter(authorization);
  if (options.cacheable) {
    // API Gateway only keys on declared parameters
    requestParameters[caller.name] = caller.required || requestParameters[caller.name] === true;
    for (const parameter of pathParameters(path)) requestParameters[parameter] = true;
  }
  const method = resource.addMethod(httpMethod, integration, {
    ...authorization,
    requestValidator,
    requestModels: options.bodySchema ? {
      'application/json': restApi.addModel(`Model${pascal(httpMethod)}${pascal(path) || 'Root'}`, {
        contentType: 'application/json',
        schema: options.bodySchema,
      }),
    } : undefined,
    requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : undefined,
    methodResponses: options.methodResponses,
    operationName: options.operationName,
  });
  if (options.cacheable) {
    const cfn = method.node.defaultChild as apigateway.CfnMethod;
    cfn.addPropertyOverride('Integration.CacheKeyParameters', cacheKeyParameters(caller.name, path, requestParameters));
  }
  return method;
}

/**
 * The request parameter that tells callers apart: the token of a guarded route (required, the
 * authorizer needs it), the tier API key with `ApiAuth.apiKeyOnly()`, and on a public route
 * the optional `Authorization` header, in case the backend answers signed-in callers differently.
 */
function callerParameter(authorization: RouteAuthorization): { name: string; required: boolean } {
  if (authorization.authorizationType !== apigateway.AuthorizationType.NONE) return { name: AUTHORIZATION_HEADER, required: true };
  if (authorization.apiKeyRequired) return { name: 'method.request.header.x-api-key', required: true };
  return { name: AUTHORIZATION_HEADER, required: false };
}

/**
 * The cache key of a cacheable route: the caller, every path parameter in template order,
 * then every other declared request parameter (query strings, headers).
 */
function cacheKeyParameters(callerParam: string, path: string, declared: { [param: string]: boolean }): string[] {
  const leading = [callerParam, ...pathParameters(path)];
  return [...leading, ...Object.keys(declared).filter((p) => !leading.includes(p)).sort()];
}

/** `method.request.path.<name>` of every `{name}` and `{name+}` of a resource template. */
function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z0-9_]+)\+?\}/g)].map((m) => `method.request.path.${m[1]}`);
}
