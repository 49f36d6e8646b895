import type { S3Event } from 'aws-lambda';
import { ImportedFile, importMenuFiles } from './menu-import';
import { MENU_IMPORT_SETTINGS_VARIABLE, MenuSettings, parseMenuSettings } from '../../../../examples/lambda-integration/cafe-settings';
import { createHandler, JsonConfig } from '../../../shared';
import { dynamoDb } from '../../../shared/aws/dynamodb';
import { s3 as s3Api } from '../../../shared/aws/s3';

// Imports menu/<name>.csv files uploaded to the café bucket into the menu table (S3 invokes
// it asynchronously; failures go to its on-failure destination). Settings:
// examples/lambda-integration/cafe-settings.ts.
const { menuTable } = parseMenuSettings(JsonConfig.fromEnvironment<MenuSettings>(MENU_IMPORT_SETTINGS_VARIABLE));

export const handler = createHandler<S3Event, ImportedFile[]>('cafe-menu-import', ({ logger, metrics }) => {
  const s3 = s3Api();
  const deps = {
    client: dynamoDb(),
    menuTable,
    now: () => new Date(),
    getObject: async (bucket: string, key: string) => {
      const { Body } = await s3.getObject({ Bucket: bucket, Key: key });
      return Body.toString('utf8');
    },
  };
  return async (event) => {
    const imported = await importMenuFiles(event, deps);
    for (const file of imported) {
      logger.info('menu file imported', { ...file });
      metrics.addMetric('MenuItemsImported', 'Count', file.items);
    }
    return imported;
  };
});
