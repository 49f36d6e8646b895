/**
 * The contract between the ECS orchestration lab's stack and its container program
 * (lambda-src/examples/ecs-orchestration/services): the role each service runs, the
 * environment it reads and the metrics it publishes as EMF. One image runs all three
 * roles; the task definition picks one with the container command.
 */

/** The program's roles, given as its first argument. */
export const SERVICE_ROLES = ['web', 'api', 'worker'] as const;
export type ServiceRole = typeof SERVICE_ROLES[number];

/** Namespace of every metric the containers publish. */
export const LAB_METRICS_NAMESPACE = 'EcsOrchestrationLab';
/** Dimension naming the service that published a metric. */
export const SERVICE_DIMENSION = 'ServiceName';

/**
 * Requests one web task served in one minute (health checks excluded). Each task writes one
 * value per minute, stamped with the minute's start, so `Average` across tasks is the
 * requests per task per minute: a figure that falls as tasks are added, which is what
 * target tracking needs.
 */
export const WEB_REQUESTS_METRIC = 'Requests';
/** Calls from the web service to the api service that failed, per minute (use `Sum`). */
export const API_ERRORS_METRIC = 'ApiErrors';
/** Jobs a worker task finished, per minute (use `Sum` for the fleet). */
export const JOBS_PROCESSED_METRIC = 'JobsProcessed';
/** Jobs a worker task could not process (poison messages), per minute (use `Sum`). */
export const JOB_FAILURES_METRIC = 'JobFailures';

/** Longest simulated work a job may ask for: well inside the queue's visibility timeout. */
export const MAX_JOB_WORK_MS = 20_000;

/** Environment variables of the containers (all strings, as ECS passes them). */
export interface ServiceEnvironment {
  /** Port the HTTP server listens on (every role has one: the worker's answers /health and /stats). */
  readonly PORT: string;
  /** The service's name in the mesh, published as the metrics' ServiceName dimension. */
  readonly SERVICE_NAME: string;
  /** Version label shown in every answer, so a learner sees which revision served a request. */
  readonly APP_VERSION: string;
  /** Share of requests (0-100) answered with an error: how the guide fakes a bad deployment. */
  readonly FAILURE_PERCENT?: string;
  /** web: base URL of the api service (its Service Connect alias). */
  readonly API_URL?: string;
  /** web: base URL of the worker service. */
  readonly WORKER_URL?: string;
  /** worker: URL of the queue to consume. */
  readonly QUEUE_URL?: string;
  /** worker: region of the queue, read by the AWS SDK. */
  readonly AWS_REGION?: string;
}
