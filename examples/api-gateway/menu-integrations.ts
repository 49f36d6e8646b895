import { Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  MENU_CLIENT_ERROR_RESPONSE, MENU_CREATED_RESPONSE, MENU_SERVER_ERROR_RESPONSE, MENU_V1_RESPONSE, MENU_V2_RESPONSE, menuPutRequest, menuQueryRequest,
} from './menu-templates';

/** The response header every menu answer carries: which stage (stage variable `environment`) served it. */
export const ENVIRONMENT_HEADER = 'method.response.header.X-Cafe-Environment';

/** The menu's direct DynamoDB integrations (no Lambda) and the method responses they need. */
export interface MenuIntegrations {
  readonly listV1: apigateway.AwsIntegration;
  readonly listV2: apigateway.AwsIntegration;
  readonly create: apigateway.AwsIntegration;
  /** The role API Gateway assumes to call DynamoDB. */
  readonly role: iam.Role;
  /** Method responses of the list routes (200, 400, 429, 502). */
  readonly listResponses: apigateway.MethodResponse[];
  /** Method responses of the create route (201, 400, 409, 429, 502). */
  readonly createResponses: apigateway.MethodResponse[];
}

const JSON_TYPE = 'application/json';

function errorResponses(): apigateway.IntegrationResponse[] {
  return [
    // DynamoDB answers 400 for conditions, throttling and validation alike: the template picks the status.
    { selectionPattern: '4\\d{2}', statusCode: '400', responseTemplates: { [JSON_TYPE]: MENU_CLIENT_ERROR_RESPONSE } },
    { selectionPattern: '5\\d{2}', statusCode: '502', responseTemplates: { [JSON_TYPE]: MENU_SERVER_ERROR_RESPONSE } },
  ];
}

function methodResponses(success: string, errors: string[]): apigateway.MethodResponse[] {
  return [success, ...errors].map((statusCode) => ({
    statusCode,
    responseModels: { [JSON_TYPE]: apigateway.Model.EMPTY_MODEL },
    responseParameters: { [ENVIRONMENT_HEADER]: true },
  }));
}

/**
 * Query (v1 and v2 shapes) and PutItem on the menu table, each with a request template that
 * builds the DynamoDB call and response templates for success and errors. Requests without
 * a matching template are refused (passthrough NEVER), so a caller cannot send DynamoDB its
 * own call.
 */
export function createMenuIntegrations(scope: Construct, table: dynamodb.ITable): MenuIntegrations {
  const role = new iam.Role(scope, 'MenuIntegrationRole', {
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } } }),
    description: 'API Gateway reads (Query) and adds (PutItem) café menu items, nothing else',
  });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query', 'dynamodb:PutItem'], resources: [table.tableArn] }));

  const environmentHeader = { [ENVIRONMENT_HEADER]: 'stageVariables.environment' };
  const integration = (action: string, requestTemplate: string, successStatus: string, successTemplate: string) => new apigateway.AwsIntegration({
    service: 'dynamodb',
    action,
    options: {
      credentialsRole: role,
      passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
      requestTemplates: { [JSON_TYPE]: requestTemplate },
      integrationResponses: [
        { statusCode: successStatus, responseTemplates: { [JSON_TYPE]: successTemplate }, responseParameters: environmentHeader },
        ...errorResponses().map((r) => ({ ...r, responseParameters: environmentHeader })),
      ],
    },
  });
  return {
    listV1: integration('Query', menuQueryRequest(table.tableName), '200', MENU_V1_RESPONSE),
    listV2: integration('Query', menuQueryRequest(table.tableName), '200', MENU_V2_RESPONSE),
    create: integration('PutItem', menuPutRequest(table.tableName), '201', MENU_CREATED_RESPONSE),
    role,
    listResponses: methodResponses('200', ['400', '429', '502']),
    createResponses: methodResponses('201', ['400', '409', '429', '502']),
  };
}
