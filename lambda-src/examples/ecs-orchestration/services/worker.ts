import { isPoison, parseJob } from './job';
import { MinuteMeter } from './minute-meter';
import { JOB_FAILURES_METRIC, JOBS_PROCESSED_METRIC } from '../../../../examples/ecs-orchestration/service-settings';

/** A received message: enough to process, delete or release it. */
export interface QueueMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly receiveCount: number;
}

/** The queue as the worker uses it (SQS in the task, a loopback stub in tests). */
export interface JobQueue {
  /** Long-poll for up to 10 messages; `signal` ends the wait early. */
  receive(waitSeconds: number, signal: AbortSignal): Promise<QueueMessage[]>;
  /** Delete a processed message. */
  remove(message: QueueMessage): Promise<void>;
  /** Make received but unprocessed messages visible again at once (on shutdown). */
  release(messages: QueueMessage[]): Promise<void>;
}

/** What the worker works with. */
export interface WorkerDependencies {
  readonly queue: JobQueue;
  readonly meter: MinuteMeter;
  readonly maxJobWorkMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  readonly now: () => number;
}

/** The worker's counters, served on /stats. */
export interface WorkerStats {
  processed: number;
  poison: number;
  receiveErrors: number;
  lastPollAt?: string;
  readonly startedAt: string;
}

const LONG_POLL_SECONDS = 20;
const RECEIVE_ERROR_BACKOFF_MS = 5000;

/**
 * Consumes the job queue one message at a time: a job is "worked" for its workMs and
 * deleted; a poison message is left alone, so SQS moves it to the dead-letter queue after
 * maxReceiveCount receives without blocking the rest. stop() (SIGTERM, e.g. a Fargate Spot
 * interruption) ends the long poll, finishes the job in hand and releases the rest.
 */
export class QueueWorker {
  public readonly stats: WorkerStats;
  private readonly stopping = new AbortController();

  constructor(private readonly d: WorkerDependencies) {
    this.stats = { processed: 0, poison: 0, receiveErrors: 0, startedAt: new Date(d.now()).toISOString() };
  }

  /** Polls until stop() is called; resolves when the job in hand is done. */
  public async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let messages: QueueMessage[];
      try {
        this.stats.lastPollAt = new Date(this.d.now()).toISOString();
        messages = await this.d.queue.receive(LONG_POLL_SECONDS, this.stopping.signal);
      } catch (error) {
        if (this.stopping.signal.aborted) break;
        this.stats.receiveErrors++;
        this.d.log('warn', 'receive failed; retrying', { error: String(error) });
        await this.d.sleep(RECEIVE_ERROR_BACKOFF_MS);
        continue;
      }
      for (const [i, message] of messages.entries()) {
        if (this.stopping.signal.aborted) {
          await this.release(messages.slice(i));
          break;
        }
        await this.process(message);
      }
    }
    this.d.log('info', 'worker stopped', { processed: this.stats.processed, poison: this.stats.poison });
  }

  /** Ask the loop to end. */
  public stop(): void {
    this.stopping.abort();
  }

  private async process(message: QueueMessage): Promise<void> {
    const job = parseJob(message.body, this.d.maxJobWorkMs);
    if (isPoison(job)) {
      this.stats.poison++;
      this.d.meter.add(JOB_FAILURES_METRIC);
      this.d.log('warn', 'poison message left for the dead-letter queue', { messageId: message.messageId, receiveCount: message.receiveCount, reason: job.error });
      return;
    }
    await this.d.sleep(job.workMs);
    try {
      await this.d.queue.remove(message);
    } catch (error) {
      // The job will be delivered again after the visibility timeout: at-least-once.
      this.d.log('warn', 'delete failed; the job will be delivered again', { jobId: job.jobId, error: String(error) });
      return;
    }
    this.stats.processed++;
    this.d.meter.add(JOBS_PROCESSED_METRIC);
    this.d.log('info', 'job done', { jobId: job.jobId, workMs: job.workMs, messageId: message.messageId });
  }

  private async release(messages: QueueMessage[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      await this.d.queue.release(messages);
      this.d.log('info', 'released unprocessed messages', { count: messages.length });
    } catch (error) {
      this.d.log('warn', 'release failed; the messages return after the visibility timeout', { count: messages.length, error: String(error) });
    }
  }
}
