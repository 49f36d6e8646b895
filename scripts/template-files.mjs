// Finds the CloudFormation templates the template checks run over: the lab assembly
// (cdk.out) and the committed integ snapshots (integ/*.snapshot). Shared by
// validate-templates.mjs and validate-guard.mjs so both judge the same set.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every *.template.json below the given files or folders, sorted and without duplicates. */
export function findTemplates(paths) {
  return [...new Set(paths.flatMap(templatesIn))].sort();
}

function templatesIn(path) {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return path.endsWith('.json') ? [path] : [];
  return readdirSync(path).flatMap((name) => {
    const child = join(path, name);
    if (statSync(child).isDirectory()) {
      // cdk.out nests assets and integ work dirs; only snapshot and assembly folders hold templates
      return name.startsWith('asset.') || name === 'node_modules' || name.startsWith('cdk-integ.out') ? [] : templatesIn(child);
    }
    return name.endsWith('.template.json') ? [child] : [];
  });
}
