import * as apigateway from 'aws-cdk-lib/aws-apigateway';

/** Options every route of an {@link AuthorizedApi} takes, guarded or public. */
export interface BaseRouteOptions {
  /**
   * JSON schema of the request body: API Gateway rejects a body that does not match (400)
   * before the integration runs.
   * @default - body not validated
   */
  readonly bodySchema?: apigateway.JsonSchema;
  /**
   * Serve this route from the stage cache (needs the `cache` prop; GET only). The cache key
   * is the caller's `Authorization` header, every `{param}` of the path and every parameter
   * declared in `requestParameters`, so one caller's response is never served to another and
   * `/orders/1` is never served for `/orders/2`. API Gateway does not key on undeclared query
   * parameters or headers: declare every one the response depends on.
   * @default false
   */
  readonly cacheable?: boolean;
  /**
   * Request parameters, e.g. `{ 'method.request.querystring.limit': true }` (true = required,
   * validated by API Gateway).
   * @default - none
   */
  readonly requestParameters?: { [param: string]: boolean };
  /**
   * Method responses (status codes and models) for non-proxy integrations that map
   * responses with `integrationResponses` / request `requestTemplates`.
   * @default - none (proxy integrations)
   */
  readonly methodResponses?: apigateway.MethodResponse[];
  /** Name of the operation in generated SDKs and docs. @default - none */
  readonly operationName?: string;
}

/** Options of {@link AuthorizedApi.addRoute}. */
export interface RouteOptions extends BaseRouteOptions {
  /**
   * The caller needs at least one of these scopes (`scope`/`scp` claim, or an API-key
   * client's scopes). Not allowed with `ApiAuth.apiKeyOnly()`.
   * @default - any authenticated caller
   */
  readonly scopes?: string[];
}

/** Options of {@link AuthorizedApi.addPublicRoute}. */
export interface PublicRouteOptions extends BaseRouteOptions {
  /**
   * Why this route needs no credentials, e.g. `load balancer health checks`. It becomes the
   * reason of the cdk-nag acknowledgements on the method, so a reviewer reads it.
   */
  readonly reason: string;
}
