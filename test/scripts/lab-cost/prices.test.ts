import { hourly, HOURS_PER_MONTH, Price, PRICES, PRICES_READ } from '../../../scripts/lab-cost/prices';

/** Every Price object anywhere inside the table, with its path. */
function allPrices(value: unknown, at = 'PRICES'): Array<[string, Price]> {
  if (typeof value !== 'object' || value === null) return [];
  if ('usd' in value && 'period' in value) return [[at, value as Price]];
  return Object.entries(value).flatMap(([key, child]) => allPrices(child, `${at}.${key}`));
}

describe('the price table', () => {
  const prices = allPrices(PRICES);

  test('gives every figure a source URL, the date it was read and how far it is confirmed', () => {
    expect(prices.length).toBeGreaterThan(30);
    const incomplete = prices.filter(([, p]) =>
      !/^https:\/\/\S+$/.test(p.source) || !/^\d{4}-\d{2}-\d{2}$/.test(p.read) || !['aws', 'third-party', 'unconfirmed'].includes(p.confirmation)
      || !(p.usd > 0) || !['hour', 'month'].includes(p.period) || p.unit.length === 0);
    expect(incomplete.map(([at]) => at)).toEqual([]);
  });

  test('was read on the date it states', () => {
    expect(prices.map(([, p]) => p.read).filter((d) => d !== PRICES_READ)).toEqual([]);
  });

  test('turns monthly fees into hourly ones over a 730-hour month', () => {
    expect(HOURS_PER_MONTH).toBe(365 * 24 / 12);
    expect(hourly(PRICES.monthly.kmsKey)).toBeCloseTo(1 / 730, 12);
    expect(hourly(PRICES.network.natGateway)).toBe(0.045);
  });

  test('gives Fargate Spot a range below on-demand, not a single number', () => {
    const { low, high } = PRICES.fargate.spot;
    expect(0 < low && low < high && high < 1).toBe(true);
  });

  test('prices every RDS class the library uses, Multi-AZ at twice Single-AZ', () => {
    for (const name of ['db.t4g.micro', 'db.t4g.small', 'db.t4g.medium', 'db.m7g.large']) {
      const entry = PRICES.rds.mysql[name];
      expect([name, entry.multiAz.usd]).toEqual([name, Math.round(entry.singleAz.usd * 2 * 1e6) / 1e6]);
      expect(entry.vcpus).toBe(2);
    }
  });
});
