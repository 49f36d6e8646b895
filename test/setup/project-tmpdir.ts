import { mkdirSync } from 'node:fs';
import * as path from 'node:path';

// CDK apps created without an outdir synthesize into os.tmpdir() and never clean up.
// Point the temp folder inside the project (.tmp/jest, removed after the run) so test
// runs leave nothing in the system temp folder.
const dir = path.join(__dirname, '..', '..', '.tmp', 'jest');
mkdirSync(dir, { recursive: true });
process.env.TMPDIR = dir;
