import { render } from 'velocityjs';

// Renders an API Gateway mapping template (VTL) locally with velocityjs and the variables
// API Gateway gives templates: $input (path, json, params, body), $util (escapeJavaScript,
// parseJson, urlEncode), $context (requestId, responseOverride) and $stageVariables.
// Strings get Java's replaceAll (a regex) and lists Java's size(), as templates use them.

/** A sample request (or, for a response template, the integration's response) to render a template against. */
export interface TemplateInput {
  /** The JSON body $input reads: the request body, or the integration response for response templates. */
  readonly body?: unknown;
  readonly path?: Record<string, string>;
  readonly querystring?: Record<string, string>;
  readonly header?: Record<string, string>;
  readonly stageVariables?: Record<string, string>;
  readonly requestId?: string;
}

/** What a template produced: the text and the status it set with $context.responseOverride.status. */
export interface RenderedTemplate {
  readonly text: string;
  readonly statusOverride?: number;
  /** The text parsed as JSON; throws when the template produced invalid JSON. */
  json(): any;
}

/** Java's StringEscapeUtils.escapeEcmaScript, which $util.escapeJavaScript is. */
function escapeJavaScript(value: unknown): string {
  return String(value ?? '').replace(/[\\'"/\b\f\n\r\t\u0000-\u001f\u007f-\uffff]/g, (c) => {
    const named: Record<string, string> = { '\\': '\\\\', '\'': '\\\'', '"': '\\"', '/': '\\/', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

/** Java methods VTL in API Gateway has and JavaScript lacks or treats differently. */
const JAVA_METHODS = [
  {
    // String.replaceAll takes a regex in Java, a literal string in JavaScript.
    uid: 'java-string-replaceAll',
    match: ({ property, context }: { property: string; context: unknown }) => property === 'replaceAll' && typeof context === 'string',
    resolve: ({ context, params }: { context: any; params: any[] }) => String(context).replace(new RegExp(String(params[0]), 'g'), () => String(params[1])),
  },
  {
    uid: 'java-list-size',
    match: ({ property, context }: { property: string; context: unknown }) => property === 'size' && Array.isArray(context),
    resolve: ({ context }: { context: any }) => (context as unknown[]).length,
  },
];

/** The JSONPath subset templates use here: `$`, `$.a.b`, `$.a[0]`. */
function jsonPath(document: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new Error(`unsupported JSONPath ${path}`);
  const steps = path.slice(1).match(/\.[A-Za-z0-9_]+|\[\d+\]/g) ?? [];
  return steps.reduce<any>((node, step) => (node == null ? undefined : node[step.startsWith('.') ? step.slice(1) : Number(step.slice(1, -1))]), document);
}

export function renderTemplate(template: string, input: TemplateInput = {}): RenderedTemplate {
  const context = { requestId: input.requestId ?? 'req-1', responseOverride: {} as { status?: number } };
  const params = (name: string) => input.path?.[name] ?? input.querystring?.[name] ?? input.header?.[name] ?? '';
  const text = render(template, {
    input: {
      path: (p: string) => jsonPath(input.body, p),
      json: (p: string) => JSON.stringify(jsonPath(input.body, p) ?? null),
      params,
      body: JSON.stringify(input.body ?? null),
    },
    util: {
      escapeJavaScript,
      parseJson: (s: string) => JSON.parse(String(s)),
      urlEncode: (s: string) => encodeURIComponent(String(s)),
    },
    context,
    stageVariables: input.stageVariables ?? {},
  }, undefined, { escape: false, customMethodHandlers: JAVA_METHODS });
  return {
    text,
    statusOverride: context.responseOverride.status,
    json: () => JSON.parse(text),
  };
}
