// Task sizes Fargate offers (CPU units -> memory MiB), from the ECS task-size table.
const FARGATE_SIZES: ReadonlyArray<{ cpu: number; min: number; max: number; step: number }> = [
  { cpu: 256, min: 512, max: 2048, step: 512 },
  { cpu: 512, min: 1024, max: 4096, step: 1024 },
  { cpu: 1024, min: 2048, max: 8192, step: 1024 },
  { cpu: 2048, min: 4096, max: 16384, step: 1024 },
  { cpu: 4096, min: 8192, max: 30720, step: 1024 },
  { cpu: 8192, min: 16384, max: 61440, step: 4096 },
  { cpu: 16384, min: 32768, max: 122880, step: 8192 },
];

/** Whether Fargate offers a task of `cpu` units and `memoryMiB` MiB. */
export function isFargateTaskSize(cpu: number, memoryMiB: number): boolean {
  const row = FARGATE_SIZES.find((r) => r.cpu === cpu);
  if (!row) return false;
  if (row.cpu === 256) return [512, 1024, 2048].includes(memoryMiB);
  return memoryMiB >= row.min && memoryMiB <= row.max && (memoryMiB - row.min) % row.step === 0;
}

/** Human-readable list of the memory sizes Fargate offers for `cpu`, for error messages. */
export function describeFargateMemory(cpu: number): string {
  const row = FARGATE_SIZES.find((r) => r.cpu === cpu);
  if (!row) return `cpu one of ${FARGATE_SIZES.map((r) => r.cpu).join(', ')}`;
  if (row.cpu === 256) return 'memory 512, 1024 or 2048 MiB for 256 CPU units';
  return `memory ${row.min}-${row.max} MiB in steps of ${row.step} for ${cpu} CPU units`;
}
