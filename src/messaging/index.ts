export * from './fanout-queue';
export * from './fanout-topic';
