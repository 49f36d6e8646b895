import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Context } from 'aws-lambda';
import { ASSETS_DIR } from '../../src/core/handler-code';
import { captureOutput, jsonLines } from '../helpers/capture-output';

// Runs the esbuild bundle itself (assets/echo/index.js), not the TypeScript source: this is
// the code the Lambda runtime loads.
const context = { awsRequestId: 'req-1', functionName: 'echo', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:echo' } as Context;

describe('echo bundle', () => {
  test('loads, answers with the event and writes one JSON log record and one EMF document', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler } = require(path.join(ASSETS_DIR, 'echo', 'index.js'));
    let response: unknown;
    const lines = await captureOutput(async () => {
      response = await handler({ ping: 1, authorization: 'Bearer secret-token-value' }, context);
    });

    expect(response).toEqual({ echo: { ping: 1, authorization: 'Bearer secret-token-value' }, requestId: 'req-1', node: process.version });
    const records = jsonLines(lines);
    const log = records.find((r) => r.message === 'echo request');
    expect(log).toMatchObject({ level: 'INFO', service: 'echo', function_request_id: 'req-1', event: { ping: 1 } });
    expect(lines.join('\n')).not.toContain('secret-token-value');
    expect(records.filter((r) => r._aws)).toEqual([expect.objectContaining({ EchoRequests: 1, service: 'echo' })]);
  });

  test('ships a source map next to the bundle', () => {
    const map = JSON.parse(readFileSync(path.join(ASSETS_DIR, 'echo', 'index.js.map'), 'utf8'));
    expect(map.sources.some((s: string) => s.endsWith('lambda-src/echo/index.ts'))).toBe(true);
  });
});
