import * as apigateway from 'aws-cdk-lib/aws-apigateway';

/** Options of {@link AuthorizedApi.addRoute}. */
export interface RouteOptions {
  /**
   * JSON schema of the request body: API Gateway rejects a body that does not match (400)
   * before the integration runs.
   * @default - body not validated
   */
  readonly bodySchema?: apigateway.JsonSchema;
  /**
   * The caller needs at least one of these scopes (`scope`/`scp` claim, or an API-key
   * client's scopes). Not allowed with `ApiAuth.apiKeyOnly()`.
   * @default - any authenticated caller
   */
  readonly scopes?: string[];
  /**
   * Serve this route from the stage cache (needs the `cache` prop). The cache key always
   * includes the `Authorization` header, so one caller's response is never served to another.
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
