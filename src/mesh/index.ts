export * from './autoscaling';
export * from './capacity';
export * from './deployment';
export * from './health-check';
export * from './mesh-tls';
export * from './meshed-fargate-service';
export * from './meshed-fargate-service-props';
export * from './service-mesh';
