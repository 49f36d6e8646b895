// What of the execution state approvers see. Dependency-free: the construct validates the
// `summaryFields` prop with it, and the request handler (which bundles this file) checks its
// settings and picks the fields with it.

/**
 * JSONPath reference paths as Choice states accept them: `$`, `$.field`, `$.a.b[0]`,
 * `$['odd key']`. No wildcards, filters or functions.
 */
export const REFERENCE_PATH = /^\$(\.[A-Za-z_$][\w$-]*|\[\d+\]|\['[^'\\]+'\])*$/;
const PATH_STEP = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^'\\]+)'\]/g;
const LABEL = /^[A-Za-z][\w -]{0,63}$/;
/** A summary is a few facts to decide on, not a copy of the state. */
export const MAX_SUMMARY_FIELDS = 20;

/** Whether `path` is a JSONPath reference path (`$`, `.name`, `[0]`, `['name']`; no wildcards or filters). */
export function isReferencePath(path: string): boolean {
  return REFERENCE_PATH.test(path);
}

/** One problem of a `summaryFields` map: which field, what is required, what was given. */
export interface SummaryFieldProblem {
  readonly field: string;
  readonly requirement: string;
  readonly value: unknown;
}

/** Every problem of a `summaryFields` value; empty when it is valid. `isToken` skips unresolved values. */
export function summaryFieldProblems(fields: unknown, isToken: (value: string) => boolean = () => false): SummaryFieldProblem[] {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    return [{ field: 'summaryFields', requirement: 'must map labels to JSONPath reference paths', value: fields }];
  }
  const entries = Object.entries(fields);
  const problems: SummaryFieldProblem[] = [];
  if (entries.length > MAX_SUMMARY_FIELDS) {
    problems.push({ field: 'summaryFields', requirement: `must name at most ${MAX_SUMMARY_FIELDS} fields`, value: entries.length });
  }
  for (const [label, path] of entries) {
    const field = /^[A-Za-z_]\w*$/.test(label) ? `summaryFields.${label}` : `summaryFields[${JSON.stringify(label)}]`;
    if (!LABEL.test(label)) {
      problems.push({ field, requirement: 'must be labelled with 1 to 64 letters, digits, spaces, _ or -, starting with a letter', value: label });
    } else if (typeof path !== 'string' || (!isToken(path) && !isReferencePath(path))) {
      problems.push({ field, requirement: "must be a JSONPath reference path such as '$.order.amount' (no wildcards or filters)", value: path });
    } else if (path === '$') {
      problems.push({ field, requirement: `must name a field of the state such as '$.${label}', not the whole state`, value: path });
    }
  }
  return problems;
}

/** The named fields of `state`, in the order named; fields the state lacks are listed in `missing`. */
export function pickSummaryFields(state: unknown, fields: Readonly<Record<string, string>>): { values: Record<string, unknown>; missing: string[] } {
  const values: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [label, path] of Object.entries(fields)) {
    let value: unknown = state;
    for (const [, name, index, quoted] of path.matchAll(PATH_STEP)) {
      const key = name ?? quoted ?? Number(index);
      const owner = value as Record<string | number, unknown> | null;
      value = typeof owner === 'object' && owner !== null && Object.prototype.hasOwnProperty.call(owner, key) ? owner[key] : undefined;
    }
    if (value === undefined) missing.push(label);
    else values[label] = value;
  }
  return { values, missing };
}
