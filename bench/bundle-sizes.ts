import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

// Prints the size of every bundled handler in assets/ (run after `npx projen bundle:handlers`):
// minified bytes as shipped (AWS SDK external), gzip bytes as a proxy for the zipped
// deployment package, and the share of the bundle that is our own code from lambda-src/.
const assets = path.join(__dirname, '..', 'assets');

function bundles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const child = path.join(dir, name);
    if (!statSync(child).isDirectory()) return [];
    const nested = bundles(child);
    return readdirSync(child).includes('index.js') ? [child, ...nested] : nested;
  });
}

const rows = bundles(assets).map((dir) => {
  const code = readFileSync(path.join(dir, 'index.js'));
  const map = JSON.parse(readFileSync(path.join(dir, 'index.js.map'), 'utf8')) as { sources: string[]; sourcesContent?: string[] };
  const ownSources = map.sources.filter((s) => s.includes('lambda-src/')).length;
  return {
    handler: path.relative(assets, dir),
    minifiedKB: +(code.length / 1024).toFixed(1),
    gzipKB: +(gzipSync(code).length / 1024).toFixed(1),
    modules: map.sources.length,
    ownModules: ownSources,
  };
});

console.log('Handler bundles (minified, AWS SDK v3 external):');
console.table(rows);
