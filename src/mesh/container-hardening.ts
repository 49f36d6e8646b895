import * as ecs from 'aws-cdk-lib/aws-ecs';

/** The application's user unless told otherwise: unprivileged, and not in the root group. */
export const DEFAULT_CONTAINER_USER = '1000:1000';
/** The scratch path a read-only root filesystem gets unless told otherwise. */
export const DEFAULT_SCRATCH_PATHS: readonly string[] = ['/tmp'];

/** The task volume name of a scratch path: `/var/cache/app` -> `scratch-var-cache-app`. */
export function scratchVolumeName(path: string): string {
  return `scratch${path.replace(/[^A-Za-z0-9]+/g, '-')}`.replace(/-+$/, '');
}

/**
 * Gives `container` an empty, writable task volume at each path (a bind mount without a
 * host path: Fargate keeps it in the task's ephemeral storage and removes it with the task).
 */
export function addScratchVolumes(taskDefinition: ecs.TaskDefinition, container: ecs.ContainerDefinition, paths: readonly string[]): void {
  for (const path of paths) {
    const name = scratchVolumeName(path);
    taskDefinition.addVolume({ name });
    container.addMountPoints({ sourceVolume: name, containerPath: path, readOnly: false });
  }
}
