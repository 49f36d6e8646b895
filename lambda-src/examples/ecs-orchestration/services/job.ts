/** A unit of work from the queue: an id and how long the simulated work takes. */
export interface Job {
  readonly jobId: string;
  readonly workMs: number;
}

/** A message the worker cannot process, and why. */
export interface PoisonMessage {
  readonly error: string;
}

const JOB_ID = /^[A-Za-z0-9_-]{1,64}$/;
const DEFAULT_WORK_MS = 1000;

/** Reads a message body `{"jobId": "...", "workMs": 1500}`; anything else is poison. */
export function parseJob(body: string, maxWorkMs: number): Job | PoisonMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { error: 'the body is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'the body must be a JSON object with jobId and workMs' };
  const { jobId, workMs = DEFAULT_WORK_MS } = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof jobId !== 'string' || !JOB_ID.test(jobId)) problems.push(`jobId must be 1-64 letters, digits, '-' or '_', got ${JSON.stringify(jobId)}`);
  if (typeof workMs !== 'number' || !Number.isInteger(workMs) || workMs < 0 || workMs > maxWorkMs) {
    problems.push(`workMs must be an integer between 0 and ${maxWorkMs}, got ${JSON.stringify(workMs)}`);
  }
  return problems.length > 0 ? { error: problems.join('; ') } : { jobId: jobId as string, workMs: workMs as number };
}

export function isPoison(job: Job | PoisonMessage): job is PoisonMessage {
  return 'error' in job;
}
