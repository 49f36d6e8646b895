import type { AttributeValue, DynamoDb } from '../shared/aws/dynamodb';
import { isAwsError } from '../shared/aws/errors';

// The approvals table: one item per approval, pk = "apr#<approvalId>", TTL attribute `ttl`.
// The task token lives only here (the table is KMS-encrypted) and is never returned to
// anything but the callback that completes the task.

export type ApprovalStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED';
export type CallbackState = 'PENDING' | 'SENT' | 'GONE';

export interface ApprovalRecord {
  readonly approvalId: string;
  readonly taskToken: string;
  readonly executionArn: string;
  readonly stateName: string;
  readonly status: ApprovalStatus;
  /** epoch seconds */
  readonly expiresAt: number;
  /** epoch ms */
  readonly createdAt: number;
  readonly summary: string;
  readonly notifiedAt?: number;
  readonly decidedAt?: number;
  readonly comment?: string;
  readonly callback?: CallbackState;
  readonly callbackAttemptAt?: number;
}

export interface NewApproval {
  readonly approvalId: string;
  readonly taskToken: string;
  readonly executionArn: string;
  readonly stateName: string;
  readonly expiresAt: number;
  readonly createdAt: number;
  readonly summary: string;
  /** epoch seconds after which DynamoDB may delete the item */
  readonly ttl: number;
}

const pk = (approvalId: string): Record<string, AttributeValue> => ({ pk: { S: `apr#${approvalId}` } });
const n = (value: number): AttributeValue => ({ N: String(value) });
const s = (value: string): AttributeValue => ({ S: value });

function num(item: Record<string, AttributeValue>, key: string): number | undefined {
  const v = item[key]?.N;
  return v === undefined ? undefined : Number(v);
}

function toRecord(item: Record<string, AttributeValue>): ApprovalRecord {
  return {
    approvalId: item.pk.S!.slice(4),
    taskToken: item.taskToken?.S ?? '',
    executionArn: item.executionArn?.S ?? '',
    stateName: item.stateName?.S ?? '',
    status: (item.status?.S ?? 'PENDING') as ApprovalStatus,
    expiresAt: num(item, 'expiresAt') ?? 0,
    createdAt: num(item, 'createdAt') ?? 0,
    summary: item.summary?.S ?? '',
    notifiedAt: num(item, 'notifiedAt'),
    decidedAt: num(item, 'decidedAt'),
    comment: item.comment?.S,
    callback: item.callback?.S as CallbackState | undefined,
    callbackAttemptAt: num(item, 'callbackAttemptAt'),
  };
}

const isConditionFailure = (err: unknown): boolean => isAwsError(err, 'ConditionalCheckFailedException');

/** DynamoDB operations of the approval handlers; every state change is a conditional write. */
export class ApprovalStore {
  constructor(private readonly ddb: DynamoDb, private readonly tableName: string) {}

  /** Create the approval; false when it already exists (a retried request). */
  public async create(approval: NewApproval): Promise<boolean> {
    try {
      await this.ddb.putItem({
        TableName: this.tableName,
        Item: {
          ...pk(approval.approvalId),
          taskToken: s(approval.taskToken),
          executionArn: s(approval.executionArn),
          stateName: s(approval.stateName),
          status: s('PENDING'),
          expiresAt: n(approval.expiresAt),
          createdAt: n(approval.createdAt),
          summary: s(approval.summary),
          ttl: n(approval.ttl),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /** A retried request may carry a new task token: keep the newest while still pending. */
  public async refreshToken(approvalId: string, taskToken: string): Promise<void> {
    try {
      await this.ddb.updateItem({
        TableName: this.tableName,
        Key: pk(approvalId),
        UpdateExpression: 'SET taskToken = :t',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':t': s(taskToken), ':pending': s('PENDING') },
      });
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  public async markNotified(approvalId: string, at: number): Promise<void> {
    await this.ddb.updateItem({
      TableName: this.tableName,
      Key: pk(approvalId),
      UpdateExpression: 'SET notifiedAt = :at',
      ExpressionAttributeValues: { ':at': n(at) },
    });
  }

  public async get(approvalId: string): Promise<ApprovalRecord | undefined> {
    const out = await this.ddb.getItem({ TableName: this.tableName, Key: pk(approvalId), ConsistentRead: true });
    return out.Item ? toRecord(out.Item) : undefined;
  }

  /**
   * Record the decision exactly once: only a pending, unexpired approval can be decided, so
   * of any number of concurrent requests exactly one succeeds. The winner also takes the
   * callback lease (`callbackAttemptAt`). Returns the decided record, or undefined when the
   * condition failed.
   */
  public async decide(approvalId: string, status: 'APPROVED' | 'REJECTED', comment: string, nowMs: number): Promise<ApprovalRecord | undefined> {
    try {
      const out = await this.ddb.updateItem({
        TableName: this.tableName,
        Key: pk(approvalId),
        UpdateExpression: 'SET #status = :status, decidedAt = :now, #comment = :comment, callback = :cbPending, callbackAttemptAt = :now',
        ConditionExpression: '#status = :pending AND expiresAt > :nowSec',
        ExpressionAttributeNames: { '#status': 'status', '#comment': 'comment' },
        ExpressionAttributeValues: {
          ':status': s(status),
          ':now': n(nowMs),
          ':comment': s(comment),
          ':cbPending': s('PENDING'),
          ':pending': s('PENDING'),
          ':nowSec': n(Math.floor(nowMs / 1000)),
        },
        ReturnValues: 'ALL_NEW',
      });
      return toRecord(out.Attributes!);
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }

  /**
   * Take over the callback of a decision whose callback is still pending and whose lease
   * (taken at `previousAttemptAt`) is older than `leaseMs`. Exactly one caller wins.
   */
  public async claimCallback(approvalId: string, previousAttemptAt: number, nowMs: number, leaseMs: number): Promise<boolean> {
    if (nowMs - previousAttemptAt < leaseMs) return false;
    try {
      await this.ddb.updateItem({
        TableName: this.tableName,
        Key: pk(approvalId),
        UpdateExpression: 'SET callbackAttemptAt = :now',
        ConditionExpression: 'callback = :cbPending AND callbackAttemptAt = :previous',
        ExpressionAttributeValues: { ':now': n(nowMs), ':cbPending': s('PENDING'), ':previous': n(previousAttemptAt) },
      });
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /** The callback reached Step Functions. */
  public async markCallbackSent(approvalId: string): Promise<void> {
    await this.ddb.updateItem({
      TableName: this.tableName,
      Key: pk(approvalId),
      UpdateExpression: 'SET callback = :sent',
      ExpressionAttributeValues: { ':sent': s('SENT') },
    });
  }

  /** Give the lease back after a transient callback failure, so a retry can send at once. */
  public async releaseCallback(approvalId: string, attemptAt: number): Promise<void> {
    try {
      await this.ddb.updateItem({
        TableName: this.tableName,
        Key: pk(approvalId),
        UpdateExpression: 'SET callbackAttemptAt = :zero',
        ConditionExpression: 'callbackAttemptAt = :mine',
        ExpressionAttributeValues: { ':zero': n(0), ':mine': n(attemptAt) },
      });
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  /** Step Functions no longer waits for this task (timed out or gone). */
  public async markExpired(approvalId: string): Promise<void> {
    await this.ddb.updateItem({
      TableName: this.tableName,
      Key: pk(approvalId),
      UpdateExpression: 'SET #status = :expired, callback = :gone',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':expired': s('EXPIRED'), ':gone': s('GONE') },
    });
  }
}
