import { rmSync } from 'node:fs';
import * as path from 'node:path';

/** jest globalTeardown: delete the cloud assemblies tests wrote into .tmp/jest. */
export default function removeProjectTmpdir(): void {
  rmSync(path.join(__dirname, '..', '..', '.tmp', 'jest'), { recursive: true, force: true });
}
