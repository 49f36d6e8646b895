/** One handler bundle bench/init-time.ts cold-starts: its environment and its first event. */
export interface Case {
  readonly handler: string;
  /** Calls AWS, so the SDK variants are built for it. */
  readonly callsAws: boolean;
  readonly env: Record<string, string>;
  /** What the first invocation covers, for the table's footnotes. */
  readonly note?: string;
  /** Its first invocation ends at MariaDB refusing the IAM token (it cannot check one): an expected error. */
  readonly refusedByMariaDb?: boolean;
  /** The event of run `i` (a fresh approval, a fresh execution, ...). */
  event(i: number): Promise<unknown> | unknown;
  /**
   * What is wrong with the handler's answer to the first event, or undefined when it is the
   * expected one: a handler that answers an error (404 for a route it should find, a batch
   * item failure) does not throw, and would otherwise be timed as a success.
   */
  check?(result: unknown): string | undefined;
}
