import { createHash, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message in the stub queue. */
export interface StubMessage {
  readonly messageId: string;
  readonly body: string;
  receiveCount: number;
  /** Epoch ms before which the message is invisible (in flight). */
  invisibleUntil: number;
  receiptHandle?: string;
}

/** One API call the stub answered: the SQS action and its JSON input. */
export interface StubCall {
  readonly action: string;
  readonly input: Record<string, any>;
}

/** A loopback SQS-compatible endpoint (the AWS JSON 1.0 protocol of SDK v3) holding one queue. */
export interface SqsStub {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** A queue URL on the stub. */
  readonly queueUrl: string;
  readonly messages: StubMessage[];
  readonly calls: StubCall[];
  /** Messages deleted so far, by body. */
  readonly deleted: string[];
  send(...bodies: string[]): void;
  stop(): Promise<void>;
}

const VISIBILITY_TIMEOUT_MS = 30_000;
const MAX_HOLD_MS = 500;

/**
 * The subset of SQS a queue consumer uses: ReceiveMessage (long poll held at most 0.5 s,
 * visibility timeout, receive count, MD5 of the body as the SDK checks it), DeleteMessage
 * and ChangeMessageVisibilityBatch; and SendMessage, for producers (the message joins the
 * queue). Unknown actions answer 400 like SQS does.
 */
export async function startSqsStub(): Promise<SqsStub> {
  const messages: StubMessage[] = [];
  const calls: StubCall[] = [];
  const deleted: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const action = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      calls.push({ action, input });
      const reply = (status: number, body: object) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(body));
      };
      const byHandle = (handle: string) => messages.find((m) => m.receiptHandle === handle);
      if (action === 'ReceiveMessage') {
        const deadline = Date.now() + Math.min((input.WaitTimeSeconds ?? 0) * 1000, MAX_HOLD_MS);
        const poll = () => {
          const now = Date.now();
          const visible = messages.filter((m) => m.invisibleUntil <= now).slice(0, input.MaxNumberOfMessages ?? 1);
          if (visible.length === 0 && now < deadline) {
            setTimeout(poll, 20);
            return;
          }
          reply(200, {
            Messages: visible.map((m) => {
              m.receiveCount++;
              m.invisibleUntil = now + VISIBILITY_TIMEOUT_MS;
              m.receiptHandle = randomUUID();
              return {
                MessageId: m.messageId,
                ReceiptHandle: m.receiptHandle,
                Body: m.body,
                MD5OfBody: createHash('md5').update(m.body).digest('hex'),
                Attributes: { ApproximateReceiveCount: String(m.receiveCount) },
              };
            }),
          });
        };
        poll();
      } else if (action === 'DeleteMessage') {
        const message = byHandle(input.ReceiptHandle);
        if (message) {
          messages.splice(messages.indexOf(message), 1);
          deleted.push(message.body);
        }
        reply(200, {});
      } else if (action === 'SendMessage') {
        const messageId = randomUUID();
        messages.push({ messageId, body: input.MessageBody, receiveCount: 0, invisibleUntil: 0 });
        reply(200, { MessageId: messageId, MD5OfMessageBody: createHash('md5').update(input.MessageBody).digest('hex') });
      } else if (action === 'ChangeMessageVisibilityBatch') {
        for (const entry of input.Entries) {
          const message = byHandle(entry.ReceiptHandle);
          if (message) message.invisibleUntil = Date.now() + entry.VisibilityTimeout * 1000;
        }
        reply(200, { Successful: input.Entries.map((e: { Id: string }) => ({ Id: e.Id })), Failed: [] });
      } else {
        reply(400, { __type: 'com.amazonaws.sqs#InvalidAction', message: `the stub does not implement ${action}` });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    queueUrl: `${endpoint}/000000000000/jobs`,
    messages,
    calls,
    deleted,
    send: (...bodies) => bodies.forEach((body) => messages.push({ messageId: randomUUID(), body, receiveCount: 0, invisibleUntil: 0 })),
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
