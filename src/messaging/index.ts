export { FanoutQueue } from './fanout-queue';
export type { AddQueueOptions, FanoutQueueProps } from './fanout-queue-props';
export { FanoutTopic } from './fanout-topic';
export type { FanoutTopicProps } from './fanout-topic-props';
