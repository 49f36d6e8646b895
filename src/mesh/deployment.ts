import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/** A request header that sends Service Connect test traffic to the new (green) revision. */
export interface TestTrafficHeader {
  /** Header name, e.g. `x-canary`. */
  readonly name: string;
  /**
   * Exact header value that selects the green revision.
   * @default - any request carrying the header
   */
  readonly value?: string;
}

/** Options shared by the traffic-shifting strategies. */
export interface TrafficShiftOptions {
  /**
   * Time both revisions stay up after all traffic reached the new one, so a rollback is
   * instant while the old tasks still run.
   * @default - ECS default
   */
  readonly postShiftBake?: Duration;
  /**
   * Header that routes Service Connect test traffic to the new revision before production
   * traffic shifts (rendered as the client alias' TestTrafficRules).
   * @default - `x-amzn-ecs-blue-green-test`, any value
   */
  readonly testTrafficHeader?: TestTrafficHeader;
}

/** Options of {@link Deployment.canary}. */
export interface CanaryDeploymentOptions extends TrafficShiftOptions {
  /**
   * Share of production traffic the new revision receives first, in percent (0.1-100,
   * multiples of 0.1: the ECS limits).
   * @default 5
   */
  readonly percent?: number;
  /**
   * How long the canary share runs before the rest of the traffic shifts (0-1440 minutes,
   * whole minutes).
   * @default Duration.minutes(10)
   */
  readonly bake?: Duration;
}

/** Options of {@link Deployment.linear}. */
export interface LinearDeploymentOptions extends TrafficShiftOptions {
  /**
   * Share of production traffic shifted per step, in percent (3-100, multiples of 0.1:
   * the ECS limits).
   * @default 10
   */
  readonly percent?: number;
  /**
   * Wait between two steps (0-1440 minutes, whole minutes).
   * @default Duration.minutes(6)
   */
  readonly stepBake?: Duration;
}

/** Options of {@link Deployment.blueGreen}. */
export interface BlueGreenDeploymentOptions {
  /**
   * Time both revisions stay up after traffic switched to the new one (0-1440 minutes).
   * @default - ECS default
   */
  readonly bake?: Duration;
  /**
   * Header that routes Service Connect test traffic to the new revision before the switch.
   * @default - `x-amzn-ecs-blue-green-test`, any value
   */
  readonly testTrafficHeader?: TestTrafficHeader;
}

/**
 * How a new task definition revision replaces the running one. Every strategy keeps the
 * deployment circuit breaker with rollback and the deployment alarms of
 * MeshedFargateService; the traffic-shifting ones (canary, linear, blue/green) are ECS
 * native deployments, the successor of App Mesh virtual-router weights.
 */
export class Deployment {
  /** The header ECS routes test traffic by unless told otherwise. */
  public static readonly DEFAULT_TEST_TRAFFIC_HEADER = 'x-amzn-ecs-blue-green-test';

  /** Replace tasks in place, keeping 100 % of the desired count healthy throughout. */
  public static rolling(): Deployment {
    return new Deployment(ecs.DeploymentStrategy.ROLLING, {});
  }

  /** Shift `percent` of traffic to the new revision, wait `bake`, then shift the rest. */
  public static canary(options: CanaryDeploymentOptions = {}): Deployment {
    return new Deployment(ecs.DeploymentStrategy.CANARY, {
      stepPercent: options.percent ?? 5,
      stepBake: options.bake ?? Duration.minutes(10),
      bake: options.postShiftBake,
      testTrafficHeader: options.testTrafficHeader,
    });
  }

  /** Shift traffic in equal `percent` steps, waiting `stepBake` between steps. */
  public static linear(options: LinearDeploymentOptions = {}): Deployment {
    return new Deployment(ecs.DeploymentStrategy.LINEAR, {
      stepPercent: options.percent ?? 10,
      stepBake: options.stepBake ?? Duration.minutes(6),
      bake: options.postShiftBake,
      testTrafficHeader: options.testTrafficHeader,
    });
  }

  /** Start the new revision next to the old one, then switch all traffic at once. */
  public static blueGreen(options: BlueGreenDeploymentOptions = {}): Deployment {
    return new Deployment(ecs.DeploymentStrategy.BLUE_GREEN, {
      bake: options.bake,
      testTrafficHeader: options.testTrafficHeader,
    });
  }

  /** The ECS deployment strategy. */
  public readonly strategy: ecs.DeploymentStrategy;
  /** Traffic share per step in percent (canary and linear only). */
  public readonly stepPercent?: number;
  /** Wait per step (canary and linear only). */
  public readonly stepBake?: Duration;
  /** Time both revisions run after the shift completed. */
  public readonly bake?: Duration;
  /** Test-traffic header (traffic-shifting strategies only). */
  public readonly testTrafficHeader?: TestTrafficHeader;

  private constructor(strategy: ecs.DeploymentStrategy, settings: {
    stepPercent?: number; stepBake?: Duration; bake?: Duration; testTrafficHeader?: TestTrafficHeader;
  }) {
    this.strategy = strategy;
    this.stepPercent = settings.stepPercent;
    this.stepBake = settings.stepBake;
    this.bake = settings.bake;
    this.testTrafficHeader = settings.testTrafficHeader;
  }

  /** Whether ECS runs two revisions side by side and shifts traffic between them. */
  public get shiftsTraffic(): boolean {
    return this.strategy !== ecs.DeploymentStrategy.ROLLING;
  }
}
