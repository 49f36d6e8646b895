import { Template } from 'aws-cdk-lib/assertions';

/** The placeholder a deploy-time value (table name, ARN, URL) stands in for. */
export const TOKEN = 'TOKEN';

/**
 * The JSON settings document a construct wrote into a function's environment, as the
 * handler will read it: deploy-time references (an `Fn::Join` of strings and tokens)
 * become the placeholder {@link TOKEN}.
 */
export function synthesizedSettings(template: Template, variable: string, functionDescription?: RegExp): Record<string, unknown> {
  const functions = Object.values(template.findResources('AWS::Lambda::Function')) as Array<{ Properties: any }>;
  const fn = functions.find((f) => f.Properties.Environment?.Variables?.[variable] !== undefined &&
    (!functionDescription || functionDescription.test(f.Properties.Description ?? '')));
  if (!fn) throw new Error(`no function of the template has the environment variable ${variable}`);
  return JSON.parse(flatten(fn.Properties.Environment.Variables[variable]));
}

function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map((part) => (typeof part === 'string' ? part : TOKEN)).join(join[0]);
  return TOKEN;
}

/** The document with one key renamed, as a construct that drifted from its handler would write it. */
export function withRenamedKey(document: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  if (!(from in document)) throw new Error(`the document has no key ${from}`);
  const { [from]: value, ...rest } = document;
  return { ...rest, [to]: value };
}
