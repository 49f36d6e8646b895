import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** A stand-in `aws` command for the exercise-script tests: nothing reaches AWS. */
export interface FakeAwsCli {
  /** A directory holding only `aws`: put it first on PATH. */
  readonly bin: string;
  /** The log of every call's arguments, one line per call. */
  readonly calls: string;
}

/**
 * Writes an `aws` script that appends its arguments to `calls` and answers with the given
 * bash `case "$*" in` arms; any other call fails with "unexpected aws call".
 */
export function fakeAwsCli(prefix: string, caseArms: string): FakeAwsCli {
  const bin = mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', prefix));
  const calls = path.join(bin, 'aws-calls.log');
  writeFileSync(path.join(bin, 'aws'), `#!/usr/bin/env bash
echo "$*" >> ${JSON.stringify(calls)}
case "$*" in
${caseArms.trim()}
  *) echo "unexpected aws call: $*" >&2; exit 1 ;;
esac
`);
  chmodSync(path.join(bin, 'aws'), 0o755);
  return { bin, calls };
}
