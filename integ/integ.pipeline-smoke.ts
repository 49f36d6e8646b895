import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { SmokeStack } from '../examples/smoke/smoke-stack';

// The foundation's integ test: deploys the smoke stack and invokes its bundled handler.
// The assertion passes only if the esbuild bundle loads on the Lambda runtime, runs the
// shared Powertools logger/metrics code and echoes the payload back.
const app = new App();
const stack = new SmokeStack(app, 'PipelineSmokeInteg');

const integ = new IntegTest(app, 'PipelineSmokeTest', { testCases: [stack] });

integ.assertions
  .invokeFunction({ functionName: stack.echoFunction.functionName, payload: JSON.stringify({ ping: 'integ' }) })
  .expect(ExpectedResult.objectLike({
    StatusCode: 200,
    Payload: Match.serializedJson(Match.objectLike({ echo: { ping: 'integ' }, node: Match.stringLikeRegexp('^v22\\.') })),
  }));

app.synth();
