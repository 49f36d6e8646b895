// The parts of src/core users receive; the rest of core is internal.
export { AlarmedConstruct } from './alarmed-construct';
export { AlarmTopic } from './alarm-topic';
export type { AlarmTopicProps } from './alarm-topic';
export type { IAlarmed } from './alarms';
export { HandlerFunction } from './handler-function';
export type { HandlerFunctionProps } from './handler-function-props';
export type { LifecycleProps, ObservabilityProps } from './shared-props';
export { PropsValidationErrors } from './validation';
