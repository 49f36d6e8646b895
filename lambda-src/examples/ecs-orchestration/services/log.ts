/** One JSON log line on stdout (info) or stderr (warn, error): what the awslogs driver ships. */
export function log(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...fields });
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
}
