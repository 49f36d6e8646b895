import { execFile, spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** What a child Node process printed and how it ended. */
export interface NodeRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Run Node in a child process from the project root with only PATH and `env` set: each
 * shipped bundle starts cold with exactly the environment its construct writes, like a
 * Lambda INIT.
 */
export function runNode(args: string[], env: Record<string, string>, timeoutMs = 20_000): NodeRun {
  const result = spawnSync(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: timeoutMs, cwd: path.join(__dirname, '..', '..') });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** {@link runNode} without blocking the test's event loop, for bundles that call servers the test runs in-process. */
export function runNodeAsync(args: string[], env: Record<string, string>, timeoutMs = 20_000): Promise<NodeRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: timeoutMs, cwd: path.join(__dirname, '..', '..') },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }));
  });
}

/**
 * A script for `node -e` that loads `bundle`, invokes its `handler` with `event` and prints `RESULT <json>` or `ERROR <name, code, retryable, message>`.
 */
export function invokeBundleScript(bundle: string, event: unknown): string {
  return `
  const { handler } = require(${JSON.stringify(bundle)});
  handler(${JSON.stringify(event)}).then(
    (r) => { console.log('RESULT ' + JSON.stringify(r)); },
    (e) => { console.log('ERROR ' + JSON.stringify({ name: e.name, code: e.code, retryable: e.retryable, message: e.message })); });
`;
}
