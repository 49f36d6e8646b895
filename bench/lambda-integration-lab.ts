import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { bundleReport } from './support/bundle-report';
import { summarize } from './support/stats';

// The café lab's handlers: what each bundle weighs and how long its init takes (module load
// until the handler can be called; DESIGN decision 2), median of 21 fresh Node processes per
// bundle. The bundles carry their AWS client (lambda-src/shared/aws, aws-lite) and load
// nothing from the runtime's SDK. Init is CPU-bound, and Lambda gives a function CPU in
// proportion to its memory (see the lab guide, "Memory and cold starts").
const ROOT = path.join(__dirname, '..');
const RUNS = 21;

/** Settings each bundle requires at init (values only need to be well-formed). */
const SETTINGS: Record<string, [string, unknown] | undefined> = {
  'menu': ['MENU_CONFIG', { menuTable: 'menu' }],
  'place-order': ['PLACE_ORDER_CONFIG', { menuTable: 'menu', ordersTable: 'orders' }],
  'order-status': ['ORDER_STATUS_CONFIG', { ordersTable: 'orders' }],
  'validate-order': ['VALIDATE_ORDER_CONFIG', { ordersTable: 'orders' }],
  'inventory': ['INVENTORY_CONFIG', { menuTable: 'menu' }],
  'payments': ['PAYMENTS_CONFIG', { breakerFunction: 'breaker' }],
  'payment-provider': undefined,
  'order-stream': ['ORDER_STREAM_CONFIG', { eventBusName: 'cafe' }],
  'menu-import': ['MENU_IMPORT_CONFIG', { menuTable: 'menu' }],
  'sales-report': ['SALES_REPORT_CONFIG', { ordersTable: 'orders', reportBucket: 'files', approvalThresholdCents: 10000 }],
  'notifications': ['NOTIFICATIONS_CONFIG', { kitchenQueueArn: 'arn:aws:sqs:us-east-1:123456789012:kitchen' }],
};

function initMs(bundle: string): number {
  const setting = SETTINGS[bundle];
  const env = { ...process.env, AWS_REGION: 'us-east-1', ...(setting ? { [setting[0]]: JSON.stringify(setting[1]) } : {}) };
  const file = path.join(ROOT, 'assets', 'examples', 'lambda-integration', bundle, 'index.js');
  const script = `const t = performance.now(); require(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  return Number(execFileSync(process.execPath, ['-e', script], { env, cwd: ROOT, encoding: 'utf8' }));
}

async function main(): Promise<void> {
  const rows = [];
  for (const bundle of Object.keys(SETTINGS)) {
    const { minifiedKB, ownCodeKB } = await bundleReport(`examples/lambda-integration/${bundle}`);
    const init = summarize(Array.from({ length: RUNS }, () => initMs(bundle)));
    const ms = (value: number) => +value.toFixed(1);
    rows.push({ bundle, minifiedKB, ownCodeKB, initMedianMs: ms(init.median), initMinMs: ms(init.min), initMaxMs: ms(init.max) });
  }
  console.log(`Café lab handlers: bundle size and init time (median of ${RUNS} fresh processes, ${process.version})`);
  console.table(rows);
}

void main();
