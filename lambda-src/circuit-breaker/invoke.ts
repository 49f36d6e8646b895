import { ProtectedCall } from './types';

const TIMED_OUT = Symbol('timed out');

/** How one protected call ended. A timed-out call counts as thrown, with the abort reason as its error. */
export interface CallOutcome<R> {
  readonly result?: R;
  readonly error?: unknown;
  readonly threw: boolean;
  readonly timedOut: boolean;
  readonly ms: number;
}

/**
 * Run `call`, aborting its signal after `timeoutMs`. Never throws: a thrown error is part of
 * the outcome, so the caller records every call the same way.
 */
export async function invokeWithTimeout<R>(call: ProtectedCall<R>, timeoutMs: number): Promise<CallOutcome<R>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`call timed out after ${timeoutMs} ms`));
      resolve(TIMED_OUT);
    }, timeoutMs);
  });
  const started = performance.now();
  try {
    const result = await Promise.race([call.run(controller.signal), timeout]);
    const ms = performance.now() - started;
    if (result === TIMED_OUT) return { threw: true, timedOut: true, ms, error: controller.signal.reason };
    return { result, threw: false, timedOut: false, ms };
  } catch (error) {
    return { error, threw: true, timedOut: controller.signal.aborted, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
