import * as apigateway from 'aws-cdk-lib/aws-apigateway';

// The JSON-schema models API Gateway validates request bodies against (400 before any
// integration runs). The patterns also keep the menu's mapping templates simple: ids and
// categories can hold no character that JSON or DynamoDB expressions would need escaped.

const ID = '^[a-z0-9-]{1,40}$';

export const MENU_ITEM_SCHEMA: apigateway.JsonSchema = {
  schema: apigateway.JsonSchemaVersion.DRAFT4,
  title: 'MenuItem',
  type: apigateway.JsonSchemaType.OBJECT,
  required: ['category', 'itemId', 'name', 'price'],
  additionalProperties: false,
  properties: {
    category: { type: apigateway.JsonSchemaType.STRING, pattern: ID },
    itemId: { type: apigateway.JsonSchemaType.STRING, pattern: ID },
    name: { type: apigateway.JsonSchemaType.STRING, minLength: 1, maxLength: 80 },
    price: { type: apigateway.JsonSchemaType.NUMBER, minimum: 0, maximum: 1000 },
    available: { type: apigateway.JsonSchemaType.BOOLEAN },
  },
};

export const ORDER_SCHEMA: apigateway.JsonSchema = {
  schema: apigateway.JsonSchemaVersion.DRAFT4,
  title: 'Order',
  type: apigateway.JsonSchemaType.OBJECT,
  required: ['customerId', 'items'],
  additionalProperties: false,
  properties: {
    customerId: { type: apigateway.JsonSchemaType.STRING, pattern: '^[A-Za-z0-9_-]{1,64}$' },
    items: {
      type: apigateway.JsonSchemaType.ARRAY,
      minItems: 1,
      maxItems: 20,
      items: {
        type: apigateway.JsonSchemaType.OBJECT,
        required: ['itemId', 'quantity'],
        additionalProperties: false,
        properties: {
          itemId: { type: apigateway.JsonSchemaType.STRING, pattern: '^[A-Za-z0-9_-]{1,64}$' },
          quantity: { type: apigateway.JsonSchemaType.INTEGER, minimum: 1, maximum: 99 },
        },
      },
    },
  },
};
