// The mapping templates (VTL) of the menu's direct DynamoDB integrations: requests are
// turned into DynamoDB API calls and DynamoDB's answers into the public JSON of /v1 and
// /v2. They are rendered locally against sample requests in test/examples/.
//
// Strings from callers go through escapeJavaScript, then `\'` back to `'`: JSON has no `\'`.

/** The GET /v{1,2}/menu?category= request: a Query of one category (partition). */
export function menuQueryRequest(tableName: string): string {
  return `{
  "TableName": "${tableName}",
  "KeyConditionExpression": "category = :category",
  "ExpressionAttributeValues": {
    ":category": { "S": "$util.escapeJavaScript($input.params('category')).replaceAll("\\\\'", "'")" }
  },
  "Limit": 50
}`;
}

/** v1: a flat list, prices as display strings (`"3.50"`), as the first clients were built. */
export const MENU_V1_RESPONSE = `#set($items = $input.path('$.Items'))
{
  "items": [
#foreach($item in $items)
    {
      "id": "$util.escapeJavaScript($item.itemId.S).replaceAll("\\\\'", "'")",
      "name": "$util.escapeJavaScript($item.name.S).replaceAll("\\\\'", "'")",
      "price": "$item.price.N"
    }#if($foreach.hasNext),#end
#end
  ]
}`;

/**
 * v2 (breaking): \`id\` is now \`itemId\`, the price is an amount with a currency (the stage
 * variable \`currency\`), availability is shown, and the category and count are returned.
 */
export const MENU_V2_RESPONSE = `#set($items = $input.path('$.Items'))
{
  "category": "$util.escapeJavaScript($input.params('category')).replaceAll("\\\\'", "'")",
  "count": $items.size(),
  "items": [
#foreach($item in $items)
    {
      "itemId": "$util.escapeJavaScript($item.itemId.S).replaceAll("\\\\'", "'")",
      "name": "$util.escapeJavaScript($item.name.S).replaceAll("\\\\'", "'")",
      "price": { "amount": $item.price.N, "currency": "$stageVariables.currency" },
      "available": #if($item.available.BOOL == false)false#{else}true#end
    }#if($foreach.hasNext),#end
#end
  ]
}`;

/** POST /v1/menu: the validated body becomes one PutItem that never overwrites an item. */
export function menuPutRequest(tableName: string): string {
  return `#set($body = $input.path('$'))
{
  "TableName": "${tableName}",
  "Item": {
    "category": { "S": "$util.escapeJavaScript($body.category).replaceAll("\\\\'", "'")" },
    "itemId": { "S": "$util.escapeJavaScript($body.itemId).replaceAll("\\\\'", "'")" },
    "name": { "S": "$util.escapeJavaScript($body.name).replaceAll("\\\\'", "'")" },
    "price": { "N": "$body.price" },
    "available": { "BOOL": #if($body.available == false)false#{else}true#end }
  },
  "ConditionExpression": "attribute_not_exists(itemId)"
}`;
}

/** 201 after PutItem (DynamoDB answers {}): where to read the menu. */
export const MENU_CREATED_RESPONSE = `{
  "created": true,
  "requestId": "$context.requestId"
}`;

/**
 * DynamoDB's 4xx answers (its error is \`__type\` in the body): a failed condition is a
 * conflict (409), throttling is 429, anything else is the caller's request (400).
 */
export const MENU_CLIENT_ERROR_RESPONSE = `#set($type = $input.path('$.__type'))
#if($type.endsWith('ConditionalCheckFailedException'))
#set($context.responseOverride.status = 409)
{ "error": "CONFLICT", "message": "this category already has an item with that itemId", "requestId": "$context.requestId" }
#elseif($type.endsWith('ThrottlingException') || $type.endsWith('ProvisionedThroughputExceededException'))
#set($context.responseOverride.status = 429)
{ "error": "THROTTLED", "message": "the menu is busy, retry with backoff", "requestId": "$context.requestId" }
#else
{ "error": "BAD_REQUEST", "message": "the menu request was refused", "requestId": "$context.requestId" }
#end`;

/** DynamoDB's 5xx answers: the caller may retry; the details stay in the execution log. */
export const MENU_SERVER_ERROR_RESPONSE = '{ "error": "MENU_UNAVAILABLE", "message": "the menu could not be read or written, retry later", "requestId": "$context.requestId" }';
