import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { ImportedFile, importMenuFiles } from './menu-import';
import { MENU_IMPORT_SETTINGS_VARIABLE, MenuSettings, parseMenuSettings } from '../../../../examples/lambda-integration/cafe-settings';
import { createHandler, JsonConfig } from '../../../shared';

// Imports menu/<name>.csv files uploaded to the café bucket into the menu table (S3 invokes
// it asynchronously; failures go to its on-failure destination). Settings:
// examples/lambda-integration/cafe-settings.ts.
const { menuTable } = parseMenuSettings(JsonConfig.fromEnvironment<MenuSettings>(MENU_IMPORT_SETTINGS_VARIABLE));

export const handler = createHandler<S3Event, ImportedFile[]>('cafe-menu-import', ({ logger, metrics }) => {
  const s3 = new S3Client({});
  const deps = {
    client: new DynamoDBClient({}),
    menuTable,
    now: () => new Date(),
    getObject: async (bucket: string, key: string) => {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return out.Body ? out.Body.transformToString('utf8') : '';
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
