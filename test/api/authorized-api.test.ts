import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ApiAuth, AuthorizedApi, AuthorizedApiProps } from '../../src/api';
import { unacknowledgedNagFindings } from '../helpers/nag';

const ISSUER = 'https://issuer.example.com';
const integration = new apigateway.MockIntegration({ integrationResponses: [{ statusCode: '200' }], requestTemplates: { 'application/json': '{"statusCode": 200}' } });
const methodResponses = [{ statusCode: '200' }];

function build(props: Partial<AuthorizedApiProps> = {}, routes = true) {
  const stack = new Stack(new App(), 'Stack');
  const api = new AuthorizedApi(stack, 'OrdersApi', {
    auth: ApiAuth.jwt({ issuer: ISSUER, audience: ['client-1'] }),
    ...props,
  });
  if (routes) {
    api.addRoute('GET', '/orders', integration, { scopes: ['orders:read'], methodResponses });
    api.addRoute('POST', '/orders', integration, {
      scopes: ['orders:write'],
      methodResponses,
      bodySchema: { type: apigateway.JsonSchemaType.OBJECT, required: ['sku'], properties: { sku: { type: apigateway.JsonSchemaType.STRING } } },
    });
    api.addRoute('GET', '/orders/{id}', integration, { scopes: ['orders:read'], methodResponses });
  }
  return { stack, api };
}

function settingsOf(stack: Stack): any {
  const fns = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  const env = Object.values(fns)[0].Properties.Environment.Variables.AUTHORIZER_SETTINGS;
  return JSON.parse(typeof env === 'string' ? env : JSON.stringify(stack.resolve(env)));
}

describe('AuthorizedApi', () => {
  test('a realistic API is cdk-nag clean', () => {
    const { stack } = build({ stages: ['dev', 'prod'], tiers: [{ name: 'basic', rateLimit: 5, burstLimit: 10, quotaPerDay: 1000 }], waf: {} });
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});
