// Finding the stack templates to price: every CloudFormation stack of a cloud assembly
// (cdk.out/manifest.json), or template files named on the command line.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CfnTemplate, isRecord } from './template';

/** A synthesized stack and its template. */
export interface StackTemplate {
  readonly stackName: string;
  readonly templatePath: string;
  readonly template: CfnTemplate;
}

/** Every `aws:cloudformation:stack` artifact of the cloud assembly in `dir`, by stack name. */
export function readAssembly(dir: string): StackTemplate[] {
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`lab-cost: no cloud assembly at ${dir} (${manifestPath} is missing); run \`npx cdk synth\` first`);
  }
  const manifest: unknown = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const artifacts = isRecord(manifest) && isRecord(manifest.artifacts) ? manifest.artifacts : {};
  const stacks: StackTemplate[] = [];
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (!isRecord(artifact) || artifact.type !== 'aws:cloudformation:stack') continue;
    const properties = isRecord(artifact.properties) ? artifact.properties : {};
    const templateFile = typeof properties.templateFile === 'string' ? properties.templateFile : `${id}.template.json`;
    const stackName = typeof properties.stackName === 'string' ? properties.stackName : id;
    stacks.push(readTemplate(join(dir, templateFile), stackName));
  }
  return stacks.sort((a, b) => a.stackName.localeCompare(b.stackName));
}

/** One template file; the stack is named after the file (`Name.template.json` → `Name`) unless told. */
export function readTemplate(path: string, stackName = basename(path).replace(/\.template\.json$|\.json$/, '')): StackTemplate {
  const template: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!isRecord(template) || (template.Resources !== undefined && !isRecord(template.Resources))) {
    throw new Error(`lab-cost: ${path} is not a CloudFormation template (no Resources object)`);
  }
  return { stackName, templatePath: path, template: template as CfnTemplate };
}
