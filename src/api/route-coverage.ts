import { IAspect } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { IConstruct } from 'constructs';

/** How the API's routes were declared, keyed `METHOD path` (e.g. `GET /orders/{id}`). */
export interface DeclaredRoutes {
  /** Whether the route was added with `addRoute` (guarded) or `addPublicRoute`; undefined when neither. */
  kindOf(httpMethod: string, path: string): 'guarded' | 'public' | undefined;
}

/**
 * Fails synthesis for every method of an AuthorizedApi's REST API that escapes its route
 * table: a method using the API's authorizer that the authorizer cannot decide (it is not in
 * the table the authorizer receives, and a cached policy of another route could allow it),
 * a method with no authorization at all that was not declared public, and a route whose
 * authorization was changed after `addRoute`. Methods with an authorization of their own
 * (IAM, Cognito, another authorizer) and CORS preflights (answered by API Gateway, no
 * backend) are left alone.
 */
export class RouteCoverageCheck implements IAspect {
  constructor(
    private readonly restApi: apigateway.IRestApi,
    private readonly routes: DeclaredRoutes,
    /** The library's authorizer; undefined with `ApiAuth.apiKeyOnly()`. */
    private readonly authorizer: apigateway.IAuthorizer | undefined,
  ) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof apigateway.Method) || node.api !== this.restApi) return;
    const problem = this.problemOf(node);
    if (problem) node.node.addValidation({ validate: () => [problem] });
  }

  private problemOf(method: apigateway.Method): string | undefined {
    const cfn = method.node.defaultChild as apigateway.CfnMethod;
    const httpMethod = method.httpMethod;
    const path = method.resource.path;
    const route = `${httpMethod} ${path}`;
    const authorizationType = cfn.authorizationType ?? apigateway.AuthorizationType.NONE;
    const usesApiAuthorizer = this.authorizer !== undefined && cfn.authorizerId === this.authorizer.authorizerId &&
      authorizationType === apigateway.AuthorizationType.CUSTOM;
    const unauthorized = authorizationType === apigateway.AuthorizationType.NONE;

    switch (this.routes.kindOf(httpMethod, path)) {
      case 'public':
        return undefined;
      case 'guarded':
        if (this.authorizer && !usesApiAuthorizer) {
          return `method ${route} was added with addRoute but no longer uses the API's authorizer (AuthorizationType ${authorizationType}): ` +
            'remove the override that changed its authorization';
        }
        if (!this.authorizer && cfn.apiKeyRequired !== true) {
          return `method ${route} was added with addRoute but no longer requires an API key (ApiAuth.apiKeyOnly()): remove the override that changed it`;
        }
        return undefined;
      default:
        if (usesApiAuthorizer) {
          return `method ${route} uses the API's authorizer but is not in its route table, so the authorizer denies it and a cached ` +
            `policy of another route may allow it: add it with addRoute('${httpMethod}', '${path}', integration, { scopes }) ` +
            'instead of adding the method to restApi directly';
        }
        if (unauthorized && !isCorsPreflight(httpMethod, cfn)) {
          return `method ${route} has no authorization (AuthorizationType NONE) and was not declared public: ` +
            `add it with addRoute('${httpMethod}', '${path}', ...) to guard it, or addPublicRoute('${httpMethod}', '${path}', integration, { reason }) ` +
            'to serve it to anyone';
        }
        return undefined;
    }
  }
}

/** An OPTIONS method answered by a MOCK integration: a CORS preflight, which reaches no backend. */
function isCorsPreflight(httpMethod: string, cfn: apigateway.CfnMethod): boolean {
  const integration = cfn.integration as apigateway.CfnMethod.IntegrationProperty | undefined;
  return httpMethod === 'OPTIONS' && integration?.type === 'MOCK';
}
