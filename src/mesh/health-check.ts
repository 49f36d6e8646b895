import { Duration } from 'aws-cdk-lib';

/** Health checks of the container (and of the target group, when there is a load balancer). */
export interface ServiceHealthCheck {
  /** HTTP path that answers 2xx/3xx when the service is healthy, e.g. `/health`. */
  readonly path: string;
  /**
   * Time between two checks.
   * @default Duration.seconds(15)
   */
  readonly interval?: Duration;
  /**
   * Time a check may take.
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;
  /**
   * Consecutive failures before the task (or target) counts as unhealthy.
   * @default 3
   */
  readonly unhealthyThreshold?: number;
  /**
   * Consecutive successful checks before the load balancer counts a target healthy (2-10;
   * target group only: the container check has no healthy threshold).
   * @default 2
   */
  readonly healthyThreshold?: number;
  /**
   * Grace period after start during which failed container checks do not count.
   * @default Duration.seconds(30)
   */
  readonly startPeriod?: Duration;
  /**
   * Container health-check command. The default calls `path` with curl, falling back to
   * wget, through `/bin/sh`; images without a shell or either tool must pass their own.
   * @default - ['CMD-SHELL', 'curl -fsS http://localhost:<port><path> ... || wget ... || exit 1']
   */
  readonly command?: string[];
  /**
   * Status codes the load balancer counts as healthy.
   * @default '200-399'
   */
  readonly healthyHttpCodes?: string;
}
