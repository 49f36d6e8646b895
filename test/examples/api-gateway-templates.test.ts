import {
  MENU_CLIENT_ERROR_RESPONSE, MENU_CREATED_RESPONSE, MENU_SERVER_ERROR_RESPONSE, MENU_V1_RESPONSE, MENU_V2_RESPONSE, menuPutRequest, menuQueryRequest,
} from '../../examples/api-gateway/menu-templates';
import { renderTemplate } from '../helpers/api-gateway-vtl';

// The lab's mapping templates rendered with a VTL engine against sample requests and
// DynamoDB answers: the output must be valid JSON of the documented shape.

const TABLE = 'cafe-menu';
const HOSTILE = 'it\'s "quoted" \\ back/slash\n<tag> é';
const queryAnswer = {
  Count: 2,
  Items: [
    { category: { S: 'coffee' }, itemId: { S: 'flat-white' }, name: { S: 'Flat white' }, price: { N: '3.5' }, available: { BOOL: true } },
    { category: { S: 'coffee' }, itemId: { S: 'cortado' }, name: { S: HOSTILE }, price: { N: '2.8' }, available: { BOOL: false } },
  ],
};

describe('menu request templates', () => {
  test('GET /menu?category= becomes a Query of that category, hostile characters kept as data', () => {
    expect(renderTemplate(menuQueryRequest(TABLE), { querystring: { category: 'coffee' } }).json()).toEqual({
      TableName: TABLE,
      KeyConditionExpression: 'category = :category',
      ExpressionAttributeValues: { ':category': { S: 'coffee' } },
      Limit: 50,
    });
    const hostile = renderTemplate(menuQueryRequest(TABLE), { querystring: { category: HOSTILE } }).json();
    expect(hostile.ExpressionAttributeValues[':category'].S).toBe(HOSTILE);
  });

  test('POST /menu becomes a PutItem that never overwrites, available by default', () => {
    const put = renderTemplate(menuPutRequest(TABLE), { body: { category: 'tea', itemId: 'sencha', name: HOSTILE, price: 3.2 } }).json();
    expect(put).toEqual({
      TableName: TABLE,
      Item: { category: { S: 'tea' }, itemId: { S: 'sencha' }, name: { S: HOSTILE }, price: { N: '3.2' }, available: { BOOL: true } },
      ConditionExpression: 'attribute_not_exists(itemId)',
    });
    const unavailable = renderTemplate(menuPutRequest(TABLE), { body: { category: 'tea', itemId: 'matcha', name: 'Matcha', price: 4, available: false } }).json();
    expect(unavailable.Item.available).toEqual({ BOOL: false });
  });
});

describe('menu response templates', () => {
  test('v1 is a flat list of ids, names and display prices', () => {
    expect(renderTemplate(MENU_V1_RESPONSE, { body: queryAnswer }).json()).toEqual({
      items: [{ id: 'flat-white', name: 'Flat white', price: '3.5' }, { id: 'cortado', name: HOSTILE, price: '2.8' }],
    });
  });

  test('v2 breaks v1: itemId, a price with the stage\'s currency, availability, category and count', () => {
    const v2 = renderTemplate(MENU_V2_RESPONSE, { body: queryAnswer, querystring: { category: 'coffee' }, stageVariables: { currency: 'EUR' } }).json();
    expect(v2).toEqual({
      category: 'coffee',
      count: 2,
      items: [
        { itemId: 'flat-white', name: 'Flat white', price: { amount: 3.5, currency: 'EUR' }, available: true },
        { itemId: 'cortado', name: HOSTILE, price: { amount: 2.8, currency: 'EUR' }, available: false },
      ],
    });
  });

  test('an empty category is an empty list in both versions', () => {
    expect(renderTemplate(MENU_V1_RESPONSE, { body: { Count: 0, Items: [] } }).json()).toEqual({ items: [] });
    expect(renderTemplate(MENU_V2_RESPONSE, { body: { Count: 0, Items: [] }, querystring: { category: 'x' }, stageVariables: { currency: 'EUR' } }).json())
      .toEqual({ category: 'x', count: 0, items: [] });
  });

  test('a created item answers with the request id', () => {
    expect(renderTemplate(MENU_CREATED_RESPONSE, { body: {}, requestId: 'r-42' }).json()).toEqual({ created: true, requestId: 'r-42' });
  });
});

describe('menu error mapping', () => {
  test('a failed condition becomes 409, throttling 429, other refusals 400, each with the request id', () => {
    const conflict = renderTemplate(MENU_CLIENT_ERROR_RESPONSE, { body: { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException' }, requestId: 'r-1' });
    expect(conflict.statusOverride).toBe(409);
    expect(conflict.json()).toMatchObject({ error: 'CONFLICT', requestId: 'r-1' });
    const throttled = renderTemplate(MENU_CLIENT_ERROR_RESPONSE, { body: { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException' } });
    expect(throttled.statusOverride).toBe(429);
    expect(throttled.json()).toMatchObject({ error: 'THROTTLED' });
    const refused = renderTemplate(MENU_CLIENT_ERROR_RESPONSE, { body: { __type: 'com.amazon.coral.validate#ValidationException' } });
    expect(refused.statusOverride).toBeUndefined();
    expect(refused.json()).toMatchObject({ error: 'BAD_REQUEST' });
  });

  test('a DynamoDB failure is a retryable error body', () => {
    expect(renderTemplate(MENU_SERVER_ERROR_RESPONSE, { body: {}, requestId: 'r-9' }).json()).toEqual({
      error: 'MENU_UNAVAILABLE', message: expect.stringContaining('retry'), requestId: 'r-9',
    });
  });
});

describe('the renderer', () => {
  test('a template that produces invalid JSON fails', () => {
    // The classic mistake: a caller's string put in quotes without escaping.
    const unescaped = '{ "name": "$input.path(\'$.name\')" }';
    expect(() => renderTemplate(unescaped, { body: { name: 'say "hi"' } }).json()).toThrow(SyntaxError);
    // escapeJavaScript alone leaves \\' in the output, which JSON does not allow.
    const halfEscaped = '{ "name": "$util.escapeJavaScript($input.path(\'$.name\'))" }';
    expect(() => renderTemplate(halfEscaped, { body: { name: 'it\'s' } }).json()).toThrow(SyntaxError);
  });
});
