import { Inventory, InventoryResult, parseInventoryRequest } from './inventory';
import { INVENTORY_SETTINGS_VARIABLE, MenuSettings, parseMenuSettings } from '../../../../examples/lambda-integration/cafe-settings';
import { createHandler, JsonConfig } from '../../../shared';
import { dynamoDb } from '../../../shared/aws/dynamodb';

// The order workflow's inventory steps (ReserveInventory, ReleaseStock, CommitStock).
// Settings: examples/lambda-integration/cafe-settings.ts.
const { menuTable } = parseMenuSettings(JsonConfig.fromEnvironment<MenuSettings>(INVENTORY_SETTINGS_VARIABLE));

const METRIC = { reserve: 'StockReserved', release: 'StockReleased', commit: 'StockCommitted' } as const;

export const handler = createHandler<unknown, InventoryResult>('cafe-inventory', ({ logger, metrics }) => {
  const inventory = new Inventory(dynamoDb(), menuTable);
  return async (input) => {
    const result = await inventory.apply(parseInventoryRequest(input));
    const moved = result.lines.filter((line) => line.outcome !== 'not-held' && line.outcome !== 'already-reserved');
    logger.info(`stock ${result.action}`, { orderId: result.orderId, lines: result.lines });
    if (moved.length > 0) metrics.addMetric(METRIC[result.action], 'Count', moved.reduce((sum, line) => sum + line.quantity, 0));
    return result;
  };
}, (error) => (error as Error).name === 'OutOfStock');
