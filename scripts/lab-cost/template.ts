// Reading a synthesized CloudFormation template: resources by logical id, literal values, and
// the references (Ref / Fn::GetAtt) that tie resources together. Anything that is not a literal
// (an intrinsic function, a parameter) is a token: readers return undefined for it, never a guess.

/** One resource of a template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
}

/** The part of a CloudFormation template the report reads. */
export interface CfnTemplate {
  readonly Resources?: Readonly<Record<string, CfnResource>>;
}

/** A resource together with its logical id. */
export interface StackResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** The resources of one template, indexed for lookups between them. */
export class TemplateIndex {
  readonly resources: readonly StackResource[];
  private readonly byId: ReadonlyMap<string, StackResource>;

  constructor(template: CfnTemplate) {
    this.resources = Object.entries(template.Resources ?? {})
      .map(([logicalId, r]) => ({ logicalId, type: r.Type, properties: r.Properties ?? {} }))
      .sort((a, b) => a.logicalId.localeCompare(b.logicalId));
    this.byId = new Map(this.resources.map((r) => [r.logicalId, r]));
  }

  /** The resource with this logical id, if the template defines it. */
  get(logicalId: string): StackResource | undefined {
    return this.byId.get(logicalId);
  }

  /** Every resource of a CloudFormation type. */
  ofType(type: string): StackResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The resource a `{ Ref }` or `{ Fn::GetAtt }` value points at, if it is in this template. */
  target(value: unknown): StackResource | undefined {
    const id = referencedId(value);
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Resources of `type` whose property `name` refers (anywhere inside it) to `logicalId`. */
  referrers(type: string, name: string, logicalId: string): StackResource[] {
    return this.ofType(type).filter((r) => referencedIds(r.properties[name]).has(logicalId));
  }
}

/** The logical id a `{ Ref: id }` or `{ 'Fn::GetAtt': [id, attr] }` value names. */
export function referencedId(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** Every logical id referenced anywhere inside a value (joins, selects, nested objects). */
export function referencedIds(value: unknown, found = new Set<string>()): Set<string> {
  const id = referencedId(value);
  if (id !== undefined) found.add(id);
  if (Array.isArray(value)) value.forEach((v) => referencedIds(v, found));
  else if (isRecord(value)) Object.values(value).forEach((v) => referencedIds(v, found));
  return found;
}

/** A literal number (CloudFormation often writes numbers as strings); undefined for tokens. */
export function literalNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** A literal string; undefined for tokens. */
export function literalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A literal boolean (`true`, `"true"`); undefined for tokens. */
export function literalBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

/** The number of entries of a literal list (its entries may be tokens); undefined when the list itself is a token. */
export function listLength(value: unknown): number | undefined {
  return Array.isArray(value) ? value.length : undefined;
}

/** A plain object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
