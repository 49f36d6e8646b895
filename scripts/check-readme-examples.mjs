// Type-checks every ```ts example in the READMEs (root, src/<group>/, examples/<lab>/)
// against the library source, so documentation cannot drift from the API.
//
//   node scripts/check-readme-examples.mjs
//
// Each example becomes the body of a Stack constructor in .tmp/readme-examples/, with
// `import ... from 'cdk-service-integration'` pointed at src/, every library export and the
// common aws-cdk-lib modules in scope, and the free variables examples use (vpc, fn, ...)
// declared in FIXTURE below. A block fenced as ```ts nocompile is skipped.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, '.tmp', 'readme-examples');

// What every example may use without importing it. An example's own import of the same
// name wins (its line is kept, the fixture's is dropped).
const FIXTURE_IMPORTS = [
  ['App', "import { App } from 'aws-cdk-lib';"],
  ['Duration', "import { Duration } from 'aws-cdk-lib';"],
  ['RemovalPolicy', "import { RemovalPolicy } from 'aws-cdk-lib';"],
  ['Stack', "import { Stack } from 'aws-cdk-lib';"],
  ['Construct', "import { Construct } from 'constructs';"],
  ...['apigateway', 'cloudwatch', 'cognito', 'dynamodb', 'ec2', 'ecs', 'iam', 'kms', 'lambda', 'logs', 'rds', 'sns', 'sqs']
    .map((m) => [m, `import * as ${m} from 'aws-cdk-lib/aws-${m}';`]),
  ['sfn', "import * as sfn from 'aws-cdk-lib/aws-stepfunctions';"],
  ['tasks', "import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';"],
  ['actions', "import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';"],
];
const FIXTURE_DECLARATIONS = `
declare const vpc: ec2.IVpc;
declare const onCall: sns.ITopic;
declare const onCallTopic: sns.ITopic;
declare const alarmTopic: sns.ITopic;
declare const fn: lambda.IFunction;
declare const inventoryFn: lambda.IFunction;
declare const publisherFn: lambda.IFunction;
declare const orderService: lambda.IFunction;
declare const ordersFn: lambda.IFunction;
declare const handlerFn: lambda.IFunction;
declare const userPool: cognito.IUserPool;
declare const integration: apigateway.Integration;
declare const table: dynamodb.ITable;
declare const key: kms.IKey;
declare const opsTopic: sns.ITopic;
declare const createOrder: lambda.IFunction;
declare const getOrder: lambda.IFunction;
declare const bodySchema: apigateway.JsonSchema;
declare const reserveStock: sfn.IChainable;
declare const chargeCard: sfn.IChainable;
declare const releaseStock: sfn.IChainable;
`;

/** Names an import line brings into scope. */
function importedNames(line) {
  const star = line.match(/import \* as (\w+)/);
  if (star) return [star[1]];
  const named = line.match(/import (?:type )?\{([^}]*)\}/);
  return named ? named[1].split(',').map((n) => n.trim().split(/\s+as\s+/).pop()).filter(Boolean) : [];
}

function markdownFiles() {
  const files = [join(root, 'README.md')];
  for (const dir of ['src', 'examples']) {
    for (const name of readdirSync(join(root, dir))) {
      const readme = join(root, dir, name, 'README.md');
      if (statSync(join(root, dir, name)).isDirectory() && existsSync(readme)) files.push(readme);
    }
  }
  return files;
}

/** The library's public names, from the jsii assembly (run after `npx projen compile`). */
function libraryExports() {
  const assembly = join(root, '.jsii');
  if (!existsSync(assembly)) {
    console.error('check-readme-examples: .jsii is missing; run `npx projen compile` first');
    process.exit(1);
  }
  return Object.keys(JSON.parse(readFileSync(assembly, 'utf8')).types ?? {}).map((fqn) => fqn.split('.').pop()).sort();
}

const blocks = [];
for (const file of markdownFiles()) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^```(ts|typescript)([^\n]*)\n([\s\S]*?)^```/gm)) {
    if (m[2].includes('nocompile')) continue;
    const line = text.slice(0, m.index).split('\n').length;
    blocks.push({ file: relative(root, file), line, code: m[3] });
  }
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const exportsList = libraryExports();
blocks.forEach((block, i) => {
  const lines = block.code.split('\n');
  const imports = lines.filter((l) => /^import /.test(l) && !l.includes("'cdk-service-integration'"));
  const body = lines.filter((l) => !/^import /.test(l));
  const own = new Set(imports.flatMap(importedNames));
  const library = exportsList.filter((n) => !own.has(n));
  writeFileSync(join(outDir, `example-${i}.ts`), [
    `// ${block.file}:${block.line}`,
    ...FIXTURE_IMPORTS.filter(([name]) => !own.has(name)).map(([, line]) => line),
    library.length ? `import { ${library.join(', ')} } from '../../src';` : '',
    ...imports,
    FIXTURE_DECLARATIONS,
    `export class Example${i} extends Stack {`,
    '  constructor(scope: Construct) {',
    `    super(scope, 'Example${i}');`,
    ...body.map((l) => `    ${l}`),
    '  }',
    '}',
    'new App();',
  ].join('\n'));
});
writeFileSync(join(outDir, 'tsconfig.json'), JSON.stringify({
  extends: '../../tsconfig.dev.json',
  compilerOptions: { noUnusedLocals: false, noUnusedParameters: false, rootDir: '../..' },
  include: ['*.ts'],
}, null, 2));

if (blocks.length === 0) {
  console.log('check-readme-examples: no ts examples found');
  process.exit(0);
}
try {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', join(outDir, 'tsconfig.json')], { stdio: 'pipe', encoding: 'utf8' });
  console.log(`check-readme-examples: ${blocks.length} examples compile (${[...new Set(blocks.map((b) => b.file))].join(', ')})`);
} catch (err) {
  const output = String(err.stdout ?? '') + String(err.stderr ?? '');
  // Point each error at the README line it came from.
  console.error(output.replace(/\.tmp\/readme-examples\/example-(\d+)\.ts/g, (_, i) => `${blocks[+i].file} (example at line ${blocks[+i].line}) -> .tmp/readme-examples/example-${i}.ts`));
  process.exit(1);
}
