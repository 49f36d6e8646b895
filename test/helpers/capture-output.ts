/**
 * Run `fn` and return every line it wrote to stdout and stderr, in order. Powertools
 * writes INFO/DEBUG logs and EMF to stdout and WARN/ERROR logs to stderr.
 */
export async function captureOutput(fn: () => unknown | Promise<unknown>): Promise<string[]> {
  const chunks: string[] = [];
  const record = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(record), jest.spyOn(process.stderr, 'write').mockImplementation(record)];
  try {
    await fn();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return chunks.join('').split('\n').filter((line) => line.trim().length > 0);
}

/** Parse captured lines that are JSON objects; other lines are dropped. */
export function jsonLines(lines: string[]): Array<Record<string, any>> {
  return lines.flatMap((line) => {
    try {
      const parsed = JSON.parse(line);
      return typeof parsed === 'object' && parsed !== null ? [parsed] : [];
    } catch {
      return [];
    }
  });
}
