// Runs the AWS Control Tower proactive controls (cfn-guard rules shipped by
// @cdklabs/cdk-validator-cfnguard, with the cfn-guard binary it ships) over CloudFormation
// templates and turns cfn-guard's structured output into one finding per
// (template, control, resource).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

const PACKAGE_DIR = dirname(createRequire(import.meta.url).resolve('@cdklabs/cdk-validator-cfnguard/package.json'));

/** The folder of Control Tower proactive-control rules (one ct-*.guard file per control). */
export const CONTROL_TOWER_RULES = join(PACKAGE_DIR, 'rules', 'control-tower', 'cfn-guard');

// Control ids look like CT.ECS.PR.3 or CT.NETWORK-FIREWALL.PR.1; each rule's custom
// message starts with `[<id>]: <title>` and carries a `[FIX]: <remediation>` line.
const CONTROL_ID = /\[(CT\.[A-Z0-9-]+\.PR\.\d+)\]:\s*(.*)/;
const FIX = /^\[FIX\]:\s*(.*)/;

// cfn-guard exits 0 when every rule passes and 19 when a rule fails; anything else (5: a
// rule file did not parse, and its rules were skipped) means the run proved nothing.
const GUARD_EXIT_OK = new Set([0, 19]);

/** The cfn-guard binary the package ships for this machine (same mapping as its CDK plugin). */
export function cfnGuardBinary() {
  const platform = { linux: 'ubuntu', darwin: 'macos' }[process.platform];
  const architecture = { x64: 'x86_64', arm64: 'aarch64' }[process.arch];
  if (!platform || !architecture) {
    throw new Error(`cfn-guard is shipped for linux and darwin on x64 and arm64, not ${process.platform}/${process.arch}`);
  }
  return join(PACKAGE_DIR, 'bin', platform, architecture, 'cfn-guard');
}

/** Every *.guard file below the given rule files or folders. */
export function ruleFiles(paths) {
  return paths.flatMap((path) => statSync(path).isDirectory()
    ? readdirSync(path).sort().flatMap((name) => ruleFiles([join(path, name)]))
    : path.endsWith('.guard') ? [path] : []);
}

/** The control ids the given rule files report, e.g. `CT.LAMBDA.PR.2`. */
export function controlIds(files) {
  return new Set(files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(new RegExp(CONTROL_ID, 'g'))].map((m) => m[1])));
}

/**
 * The resource types a control evaluates (its metadata's EvaluatedResourceTypes), or
 * undefined when a rule file has no metadata beside it (then it runs on every template).
 */
export function evaluatedResourceTypes(ruleFile) {
  const metadata = ruleFile.replace(`${sep}cfn-guard${sep}`, `${sep}metadata${sep}`).replace(/\.guard$/, '.metadata.json');
  if (metadata === ruleFile || !existsSync(metadata)) return undefined;
  return JSON.parse(readFileSync(metadata, 'utf8')).EvaluatedResourceTypes;
}

/**
 * Evaluates the rule files against each template. Like Control Tower, which runs a
 * proactive control as a CloudFormation hook on the resource types it evaluates only, a
 * template meets only the controls for resource types it contains (5x faster on the labs).
 * @returns {Finding[]} one finding per template, control and resource
 */
export function evaluate(rules, templates) {
  const rulesWithTypes = rules.map((file) => ({ file, types: evaluatedResourceTypes(file) }));
  return templates.flatMap((template) => {
    const resources = JSON.parse(readFileSync(template, 'utf8')).Resources ?? {};
    const present = new Set(Object.values(resources).map((r) => r?.Type));
    const applicable = rulesWithTypes.filter((r) => !r.types || r.types.some((t) => present.has(t))).map((r) => r.file);
    return applicable.length === 0 ? [] : runGuard(applicable, template).flatMap((entry) => findingsOf(entry.Rule ?? entry, template, resources));
  });
}

/** One cfn-guard process: the not-compliant rule results of one template. */
function runGuard(rules, template) {
  const args = ['validate', ...rules.flatMap((r) => ['--rules', r]), '--data', template,
    '--output-format', 'json', '--show-summary', 'none', '--structured'];
  const run = spawnSync(cfnGuardBinary(), args, { encoding: 'utf8', maxBuffer: 1024 ** 3 });
  if (run.error) throw run.error;
  if (!GUARD_EXIT_OK.has(run.status)) {
    throw new Error(`cfn-guard exited with ${run.status ?? run.signal} on ${template}: ${(run.stderr || run.stdout).trim().slice(0, 2000)}`);
  }
  return JSON.parse(run.stdout).flatMap((result) => result.not_compliant);
}

/**
 * @typedef {object} Finding
 * @property {string} template  the template file as given
 * @property {string} control   control id (CT.ECS.PR.3), or the guard rule name when a rule has none
 * @property {string} title     what the control requires
 * @property {string} fix       how to comply, in the control's words
 * @property {string} resource  logical id, or `(template)` when the rule names no resource
 * @property {string} resourceType
 * @property {string[]} locations property paths below the resource that failed
 */

// cfn-guard nests checks differently depending on how a rule is written (clauses, named
// rules, disjunctions, blocks). What is stable: every failed check carries the path it
// failed at, and the control's message sits on the check or one of its ancestors.
function findingsOf(rule, template, resources) {
  const fallback = firstMessage(rule) ?? { control: rule.name, title: rule.name, fix: '' };
  const byResource = new Map();
  walk(rule, undefined, (message, path) => {
    const { control, title, fix } = message ?? fallback;
    const [, , resource = '(template)', ...rest] = path.split('/');
    const key = `${control}\u0000${resource}`;
    const finding = byResource.get(key) ?? {
      template, control, title, fix, resource, resourceType: resources[resource]?.Type ?? '', locations: [],
    };
    const location = rest.join('/');
    if (location && !finding.locations.includes(location)) finding.locations.push(location);
    byResource.set(key, finding);
  });
  if (byResource.size === 0) {
    // A failure without any path still fails: report it against the template.
    byResource.set('', { template, ...fallback, resource: '(template)', resourceType: '', locations: [] });
  }
  return [...byResource.values()];
}

function walk(node, message, visitPath) {
  if (Array.isArray(node)) {
    node.forEach((child) => walk(child, message, visitPath));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const own = parseMessage(node.messages?.custom_message);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'path' && typeof value === 'string' && value.startsWith('/Resources/')) visitPath(own ?? message, value);
    else walk(value, own ?? message, visitPath);
  }
}

function firstMessage(node) {
  if (node === null || typeof node !== 'object') return undefined;
  const own = parseMessage(node.messages?.custom_message);
  if (own) return own;
  for (const value of Object.values(node)) {
    const found = firstMessage(value);
    if (found) return found;
  }
  return undefined;
}

function parseMessage(text) {
  if (typeof text !== 'string') return undefined;
  const lines = text.split('\n').map((l) => l.trim());
  const id = lines.map((l) => CONTROL_ID.exec(l)).find(Boolean);
  if (!id) return undefined;
  const fix = lines.map((l) => FIX.exec(l)).find(Boolean);
  return { control: id[1], title: id[2], fix: fix?.[1] ?? '' };
}
