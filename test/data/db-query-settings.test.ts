import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { JsonConfig } from '../../lambda-src/shared/config';
import { ProxiedDatabase } from '../../src/data';
import { DB_QUERY_SETTINGS_VARIABLE, parseDbQuerySettings } from '../../src/data/db-query-settings';
import { TOKEN, withRenamedKey } from '../helpers/settings-contract';

// The contract between ProxiedDatabase.connectionEnvironment() and the db-query runtime:
// what the construct writes, the runtime's own parser reads as the connection asked for.
function environmentDocument(): Record<string, unknown> {
  const stack = new Stack(new App(), 'Stack');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const db = new ProxiedDatabase(stack, 'Orders', { vpc, databaseName: 'orders', proxy: { idleClientTimeout: Duration.minutes(4) } });
  const raw = stack.resolve(db.connectionEnvironment('app_user'))[DB_QUERY_SETTINGS_VARIABLE];
  const text = typeof raw === 'string' ? raw : raw['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : TOKEN)).join('');
  return JSON.parse(text);
}

const parse = (document: Record<string, unknown>) => parseDbQuerySettings(new JsonConfig(DB_QUERY_SETTINGS_VARIABLE, document));
const EXPECTED = { host: TOKEN, port: 3306, user: 'app_user', database: 'orders', staleAfterMs: 180_000, queryTimeoutMs: 10_000 };

describe('db-query settings contract', () => {
  test('the runtime parses the connection environment into the proxy endpoint, user, database and a window below the idle timeout', () => {
    expect(parse(environmentDocument())).toEqual(EXPECTED);
  });

  test('a field the construct renamed would fail the contract', () => {
    expect(() => expect(parse(withRenamedKey(environmentDocument(), 'staleAfterMs', 'staleMs'))).toEqual(EXPECTED)).toThrow();
    expect(() => parse(withRenamedKey(environmentDocument(), 'user', 'username'))).toThrow(/user must be a non-empty string/);
  });
});
