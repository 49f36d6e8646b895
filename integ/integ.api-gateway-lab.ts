import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Fn } from 'aws-cdk-lib';
import { ApiGatewayLabStack } from '../examples/api-gateway/api-gateway-lab-stack';

// Deploys ApiGatewayLab as learners do (no custom domain) and calls the dev stage (no cache,
// so a write is visible to the next read) over HTTPS, as the guide's exercises do:
//   a client-credentials token from the stack's own Cognito token endpoint (the CafeApp
//   client's secret read at deploy time), the cafe-app usage plan's API key, then
//   POST /v1/menu (direct DynamoDB PutItem) -> 201; GET /v1/menu and /v2/menu -> 200 with the
//   two transformed shapes; no token -> 401; a body missing a field and a missing query
//   parameter -> 400 from the validator, in the lab's JSON error shape.
const app = new App();
const lab = new ApiGatewayLabStack(app, 'ApiGatewayLabInteg');
const integ = new IntegTest(app, 'ApiGatewayLabTest', { testCases: [lab] });

const basic = Fn.base64(Fn.join(':', [lab.cafeClient.userPoolClientId, lab.cafeClient.userPoolClientSecret.unsafeUnwrap()]));
const token = integ.assertions.httpApiCall(`${lab.tokenDomain.baseUrl()}/oauth2/token`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Authorization': Fn.join('', ['Basic ', basic]) },
  body: 'grant_type=client_credentials',
});
token.expect(ExpectedResult.objectLike({ status: 200, body: { token_type: 'Bearer' } }));
const accessToken = token.getAttString('body.access_token');

const keyCall = integ.assertions.awsApiCall('APIGateway', 'getApiKey', { apiKey: lab.api.apiKeys[0].keyId, includeValue: true }, ['value']);
keyCall.provider.addToRolePolicy({ Effect: 'Allow', Action: ['apigateway:GET'], Resource: ['*'] });
const apiKey = keyCall.getAttString('value');

const dev = lab.api.stages[lab.api.stageNames.indexOf('dev')];
const url = (path: string) => dev.urlForPath(path);
const caller = { 'Authorization': `Bearer ${accessToken}`, 'x-api-key': apiKey, 'Content-Type': 'application/json' };
const item = { category: 'integ', itemId: 'flat-white', name: 'Flat white', price: 3.5 };

// A fresh deployment takes a moment to serve: polled until the item is created.
const created = integ.assertions.httpApiCall(url('/v1/menu'), { method: 'POST', headers: caller, body: JSON.stringify(item) });
created.expect(ExpectedResult.objectLike({ status: 201, body: { created: true, requestId: Match.stringLikeRegexp('.+') } }));
created.waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) });

const v1 = integ.assertions.httpApiCall(url('/v1/menu?category=integ'), { headers: caller });
v1.expect(ExpectedResult.objectLike({ status: 200, body: { items: [{ id: 'flat-white', name: 'Flat white', price: '3.5' }] } }));

const v2 = integ.assertions.httpApiCall(url('/v2/menu?category=integ'), { headers: caller });
v2.expect(ExpectedResult.objectLike({
  status: 200,
  body: { category: 'integ', count: 1, items: [{ itemId: 'flat-white', name: 'Flat white', price: { amount: 3.5, currency: 'EUR' }, available: true }] },
}));

const noToken = integ.assertions.httpApiCall(url('/v1/menu?category=integ'), { headers: { 'x-api-key': apiKey } });
noToken.expect(ExpectedResult.objectLike({ status: 401, body: { error: 'UNAUTHORIZED' } }));

const badBody = integ.assertions.httpApiCall(url('/v1/menu'), { method: 'POST', headers: caller, body: JSON.stringify({ category: 'integ', itemId: 'no-price', name: 'No price' }) });
badBody.expect(ExpectedResult.objectLike({ status: 400, body: { error: 'INVALID_BODY' } }));

const noCategory = integ.assertions.httpApiCall(url('/v1/menu'), { headers: caller });
noCategory.expect(ExpectedResult.objectLike({ status: 400, body: { error: 'INVALID_PARAMETERS' } }));

token.next(created).next(v1).next(v2).next(noToken).next(badBody).next(noCategory);

app.synth();
