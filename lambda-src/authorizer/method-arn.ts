/**
 * Offsets into a REST method ARN
 * `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}{/path}`: the stage
 * prefix is `[0, prefixEnd)`, the method `[prefixEnd, methodEnd)`, the path `[methodEnd, end)`
 * (empty = `/`). Offsets instead of substrings: the decision reads the ARN without copying it.
 */
export interface MethodArn {
  readonly prefixEnd: number;
  readonly methodEnd: number;
}

const EXECUTE_API = 'execute-api:';

/**
 * End of `arn:{partition}:execute-api:{region}:{account}:{apiId}/{stage}/`, each field
 * non-empty; -1 when the ARN does not start that way.
 */
export function arnPrefixEnd(arn: string): number {
  if (!arn.startsWith('arn:')) return -1;
  const partitionEnd = arn.indexOf(':', 4);
  if (partitionEnd <= 4 || !arn.startsWith(EXECUTE_API, partitionEnd + 1)) return -1;
  const regionStart = partitionEnd + 1 + EXECUTE_API.length;
  const regionEnd = arn.indexOf(':', regionStart);
  if (regionEnd <= regionStart) return -1;
  const accountEnd = arn.indexOf(':', regionEnd + 1);
  if (accountEnd <= regionEnd + 1) return -1;
  const apiIdEnd = arn.indexOf('/', accountEnd + 1);
  if (apiIdEnd <= accountEnd + 1) return -1;
  const stageEnd = arn.indexOf('/', apiIdEnd + 1);
  if (stageEnd <= apiIdEnd + 1) return -1;
  return stageEnd + 1;
}

/** The parts of a method ARN; undefined unless it has a non-empty method and a path of one line. */
export function parseMethodArn(arn: string): MethodArn | undefined {
  const prefixEnd = arnPrefixEnd(arn);
  if (prefixEnd < 0) return undefined;
  let methodEnd = arn.indexOf('/', prefixEnd);
  if (methodEnd === -1) methodEnd = arn.length;
  if (methodEnd === prefixEnd) return undefined;
  for (let i = methodEnd; i < arn.length; i++) {
    const c = arn.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) return undefined;
  }
  return { prefixEnd, methodEnd };
}
