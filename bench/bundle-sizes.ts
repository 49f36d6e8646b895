import * as path from 'node:path';
import { bundleReport } from './support/bundle-report';

// Prints the size of every bundled handler (run after `npx projen bundle:handlers`): minified
// bytes as shipped (AWS SDK external), gzip bytes as a proxy for the zipped deployment
// package, and how much of it is our own code (lambda-src/ and the settings contracts under src/). DESIGN decision 1: own code
// <= 25 KB and the whole bundle <= 60 KB (db-query <= 400 KB, because of mysql2).
async function main(): Promise<void> {
  const bundles = await import(path.join(__dirname, '..', 'scripts', 'handler-bundles.mjs')) as { findHandlerEntries(): Promise<string[]> };
  const rows = [];
  for (const handler of await bundles.findHandlerEntries()) {
    const { minifiedKB, gzipKB, ownCodeKB } = await bundleReport(handler);
    const limitKB = handler === 'db-query' ? 400 : 60;
    rows.push({ handler, minifiedKB, gzipKB, ownCodeKB, goalKB: limitKB, withinGoal: minifiedKB <= limitKB && ownCodeKB <= 25 });
  }
  console.log('Handler bundles (minified, AWS SDK v3 external):');
  console.table(rows);
}

void main();
