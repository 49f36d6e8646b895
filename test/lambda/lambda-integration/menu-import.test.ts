import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { S3Event } from 'aws-lambda';
import { createCafeTables, lambdaContext, loadBundle, MENU_TABLE, useLocalAws } from './harness';
import { parseCsv } from '../../../lambda-src/examples/lambda-integration/menu-import/csv';
import { parseMenuFile } from '../../../lambda-src/examples/lambda-integration/menu-import/menu-file';
import { decodeKey, importMenuFiles } from '../../../lambda-src/examples/lambda-integration/menu-import/menu-import';
import { LocalDynamo, startDynalite } from '../../helpers/dynalite';
import { S3Api, startS3Api } from '../../helpers/s3-api';

const MENU_CSV = [
  'sku,name,price,stock,category',
  'espresso,Espresso,2.50,100,coffee',
  'flat-white,Flat white,3.8,80,coffee',
  '"croissant","Croissant, butter",2.90,24,bakery',
  'catering-box,"Catering box (12 ""mini"" pastries)",45,10,catering',
].join('\r\n');

const s3Event = (key: string, size = 100, bucket = 'cafe-files'): S3Event => ({
  Records: [{ s3: { bucket: { name: bucket }, object: { key, size } } }],
} as unknown as S3Event);

describe('reading a menu file', () => {
  test('quoted fields, doubled quotes, CRLF and a byte-order mark are read as a spreadsheet writes them', () => {
    expect(parseCsv('\uFEFFa,"b,""c"""\r\n1,2\n')).toEqual({ rows: [['a', 'b,"c"'], ['1', '2']] });
    expect(parseCsv('a,"never closed\n1,2')).toEqual({ error: 'a quoted field opened before line 2 is never closed' });
  });

  test('prices in dollars become exact cents; a missing category is "other"', () => {
    const items = parseMenuFile(`${MENU_CSV}\nmuffin,Muffin,0.05,3,`, 'menu.csv');
    expect(items.map((i) => [i.sku, i.name, i.priceCents, i.stock, i.category])).toEqual([
      ['espresso', 'Espresso', 250, 100, 'coffee'],
      ['flat-white', 'Flat white', 380, 80, 'coffee'],
      ['croissant', 'Croissant, butter', 290, 24, 'bakery'],
      ['catering-box', 'Catering box (12 "mini" pastries)', 4500, 10, 'catering'],
      ['muffin', 'Muffin', 5, 3, 'other'],
    ]);
  });

  test('a file with bad rows is rejected whole, each problem named with its line', () => {
    const bad = 'sku,name,price,stock\nespresso,Espresso,2.50,100\nLatte!,,2.5.0,-1\nespresso,Again,1,1\nshort,row\n';
    expect(() => parseMenuFile(bad, 's3://b/menu/bad.csv')).toThrow(expect.objectContaining({
      name: 'MenuFileRejected',
      message: 's3://b/menu/bad.csv was not imported: line 3: sku "Latte!" must be lower-case letters, digits and dashes, name must be 1-80 characters, '
        + 'price "2.5.0" must be dollars such as 3.50, stock "-1" must be a whole number of units; line 4: sku espresso already appears on line 2; '
        + 'line 5 has 2 fields, the header 4',
    }));
    expect(() => parseMenuFile('sku,name,cost\n', 'm.csv')).toThrow('the header lacks the column price; the header lacks the column stock; the header has an unknown column "cost"');
    expect(() => parseMenuFile('', 'm.csv')).toThrow('the file is empty');
    expect(() => parseMenuFile(`sku,name,price,stock\n${'x,y,1,1\n'.repeat(501)}`, 'm.csv')).toThrow('the file has 501 items; at most 500 are allowed');
  });

  test('the guide\'s sample files: menu.csv imports, broken-menu.csv is rejected with each bad line named', () => {
    const sample = (name: string) => readFileSync(path.join(__dirname, '..', '..', '..', 'examples', 'lambda-integration', 'scripts', name), 'utf8');
    expect(parseMenuFile(sample('menu.csv'), 'menu.csv').map((i) => i.sku)).toEqual(
      ['espresso', 'flat-white', 'cappuccino', 'chai-latte', 'croissant', 'cinnamon-bun', 'catering-box']);
    expect(() => parseMenuFile(sample('broken-menu.csv'), 'broken-menu.csv')).toThrow(/line 3: .*line 4: sku espresso already appears on line 2/);
  });

  test('S3 event keys are URL-decoded', () => {
    expect(decodeKey('menu/winter+menu%282026%29.csv')).toBe('menu/winter menu(2026).csv');
    expect(decodeKey('menu/%E0%A4%A.csv')).toBe('menu/%E0%A4%A.csv');
  });
});

describe('importing against dynalite and loopback S3', () => {
  let dynamo: LocalDynamo;
  let s3: S3Api;
  let restoreEnv: () => void;
  beforeAll(async () => {
    dynamo = await startDynalite();
    await createCafeTables(dynamo);
    s3 = await startS3Api();
    restoreEnv = useLocalAws({ dynamodb: dynamo.endpoint, s3: s3.url });
  });
  afterAll(async () => {
    restoreEnv();
    await s3.stop();
    await dynamo.stop();
  });
  const deps = () => ({ client: dynamo.dynamoDb(), menuTable: MENU_TABLE, now: () => new Date('2026-11-22T08:00:00Z'), getObject: async (b: string, k: string) => s3.objects.get(`${b}/${k}`) ?? '' });

  test('a menu file upserts every item and keeps the holds of orders in flight', async () => {
    s3.objects.set('cafe-files/menu/today.csv', MENU_CSV);
    await dynamo.dynamoDb().putItem({
      TableName: MENU_TABLE, Item: { sku: { S: 'espresso' }, name: { S: 'Old name' }, priceCents: { N: '1' }, stock: { N: '1' }, holders: { SS: ['o-in-flight'] } },
    });
    expect(await importMenuFiles(s3Event('menu/today.csv'), deps())).toEqual([{ source: 's3://cafe-files/menu/today.csv', items: 4 }]);
    const { Item } = await dynamo.dynamoDb().getItem({ TableName: MENU_TABLE, Key: { sku: { S: 'espresso' } }, ConsistentRead: true });
    expect(Item).toMatchObject({ name: { S: 'Espresso' }, priceCents: { N: '250' }, stock: { N: '100' }, holders: { SS: ['o-in-flight'] }, importedFrom: { S: 's3://cafe-files/menu/today.csv' } });
  });

  test('files outside menu/, too large or invalid are rejected and write nothing', async () => {
    const count = async () => (await dynamo.dynamoDb().scan({ TableName: MENU_TABLE })).Items?.length;
    const before = await count();
    s3.objects.set('cafe-files/menu/broken.csv', 'sku,name,price,stock\nnew-item,New,1.00,5\nbad sku,Bad,1,1\n');
    await expect(importMenuFiles(s3Event('reports/x.csv'), deps())).rejects.toMatchObject({ name: 'MenuFileRejected', message: expect.stringContaining('menu files are menu/<name>.csv') });
    await expect(importMenuFiles(s3Event('menu/huge.csv', 10_000_000), deps())).rejects.toMatchObject({ message: expect.stringContaining('at most 262144 are allowed') });
    await expect(importMenuFiles(s3Event('menu/broken.csv'), deps())).rejects.toMatchObject({ message: expect.stringContaining('line 3: sku "bad sku"') });
    expect(await count()).toBe(before);
  });

  test('the bundle reads the object through the S3 API and imports it', async () => {
    s3.objects.set('cafe-files/menu/bundle menu.csv', 'sku,name,price,stock,category\nchai-latte,Chai latte,4.20,30,tea\n');
    const handler = loadBundle('menu-import', 'MENU_IMPORT_CONFIG', { menuTable: MENU_TABLE });
    expect(await handler(s3Event('menu/bundle+menu.csv'), lambdaContext('menu-import'))).toEqual([{ source: 's3://cafe-files/menu/bundle menu.csv', items: 1 }]);
    expect(s3.requests.some((r) => r.method === 'GET' && r.url.startsWith('/cafe-files/menu/bundle%20menu.csv'))).toBe(true);
    await expect(handler(s3Event('menu/missing.csv'), lambdaContext('menu-import'))).rejects.toMatchObject({ name: 'NoSuchKey' });
  });
});
