import { parseSignedRequests, sendSignedRequests } from '../../lambda-src/examples/rds-integration/signed-client/signed-client';
import { startLoopbackServer, type LoopbackServer } from '../helpers/http-server';
import { expectedSigV4Signature, signatureOf } from '../helpers/sigv4';

// The integ test's client of the RDS lab's IAM-authenticated function URL, against a
// loopback server that checks each SigV4 signature with an independent implementation.
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session-token-example' };
let server: LoopbackServer;
let nextId = 41;

beforeAll(async () => {
  server = await startLoopbackServer((request) => {
    if (request.method === 'POST') return { status: 201, body: JSON.stringify({ item: { id: ++nextId } }) };
    if (request.method === 'DELETE') return { status: 204 };
    return { status: 200, body: JSON.stringify({ ok: true }) };
  });
});
afterAll(async () => {
  await server?.stop();
});

describe('RdsIntegrationLab signed client', () => {
  test('signs every request with SigV4 for lambda, sends the session token, and replaces {id} with the created item', async () => {
    server.requests.length = 0;
    const responses = await sendSignedRequests(server.url, 'eu-west-1', credentials, [
      { method: 'POST', path: '/items', body: { name: 'a \'quoted\' name', quantity: 1 } },
      { method: 'GET', path: '/items/{id}' },
      { method: 'DELETE', path: '/items/{id}' },
    ]);
    expect(responses).toEqual([
      { method: 'POST', path: '/items', status: 201, body: { item: { id: 42 } } },
      { method: 'GET', path: '/items/42', status: 200, body: { ok: true } },
      { method: 'DELETE', path: '/items/42', status: 204, body: null },
    ]);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /items', 'GET /items/42', 'DELETE /items/42']);
    for (const request of server.requests) {
      expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/lambda\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
      expect(request.headers['x-amz-security-token']).toBe('session-token-example');
      expect(signatureOf(request)).toBe(expectedSigV4Signature(request, credentials.secretAccessKey, 'eu-west-1', 'lambda'));
    }
    expect(JSON.parse(server.requests[0].body)).toEqual({ name: 'a \'quoted\' name', quantity: 1 });
  });

  test('{id} before any POST created an item is refused', async () => {
    await expect(sendSignedRequests(server.url, 'eu-west-1', credentials, [{ method: 'GET', path: '/items/{id}' }])).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  test.each([
    [{}],
    [{ requests: [] }],
    [{ requests: [{ method: 'TRACE', path: '/items' }] }],
    [{ requests: [{ method: 'GET', path: 'items' }] }],
  ])('a malformed event is refused: %j', (event) => {
    expect(() => parseSignedRequests(event)).toThrow(/requests|request 1 needs a method/);
  });
});
