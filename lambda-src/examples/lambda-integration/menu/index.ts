import { readMenu } from './menu';
import { MENU_SETTINGS_VARIABLE, MenuSettings, parseMenuSettings } from '../../../../examples/lambda-integration/cafe-settings';
import { createHandler, JsonConfig } from '../../../shared';
import { dynamoDb } from '../../../shared/aws/dynamodb';
import { apiRoute, json } from '../shared/api';

// GET /menu of the café API. Settings: examples/lambda-integration/cafe-settings.ts.
const { menuTable } = parseMenuSettings(JsonConfig.fromEnvironment<MenuSettings>(MENU_SETTINGS_VARIABLE));

export const handler = createHandler('cafe-menu', (tools) => {
  const client = dynamoDb();
  return apiRoute(tools, async () => {
    const menu = await readMenu(client, menuTable);
    if (menu.skipped > 0) tools.logger.warn('menu items skipped: a field is missing or malformed', { skipped: menu.skipped });
    return json(200, { items: menu.items });
  });
});
