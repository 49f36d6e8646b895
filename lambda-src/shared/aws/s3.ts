import { AwsClientOptions, awsService, CallOptions } from './client';
import { endpointFor } from './endpoints';

export interface GetObjectInput {
  readonly Bucket: string;
  readonly Key: string;
}

export interface PutObjectInput {
  readonly Bucket: string;
  readonly Key: string;
  readonly Body: string | Buffer;
  readonly ContentType?: string;
}

/** Reading and writing whole objects. Errors are AwsServiceError (`NoSuchKey`, `AccessDenied`, ...). */
export interface S3 {
  /** The object's bytes, whatever its stored content type. */
  getObject(input: GetObjectInput, options?: CallOptions): Promise<{ Body: Buffer }>;
  putObject(input: PutObjectInput, options?: CallOptions): Promise<{ ETag?: string }>;
}

/**
 * S3 over its REST API. On AWS the bucket is addressed virtual-hosted
 * (`<bucket>.s3.<region>.amazonaws.com`, as AWS recommends); against a configured endpoint
 * (a local engine) path-style, `/<bucket>/<key>`, which needs no per-bucket DNS.
 */
export function s3(options: AwsClientOptions = {}): S3 {
  const send = awsService('s3', 'xml', options);
  const pathStyle = (options.endpoint ?? endpointFor('s3')) !== undefined;
  const address = (bucket: string, key: string) => {
    const encodedKey = key.split('/').map(encodeURIComponent).join('/');
    if (pathStyle) return { path: `/${encodeURIComponent(bucket)}/${encodedKey}` };
    const region = options.region ?? process.env.AWS_REGION;
    return { host: `${bucket}.s3.${region}.amazonaws.com`, path: `/${encodedKey}` };
  };
  return {
    async getObject(input, o) {
      const { host, path } = address(input.Bucket, input.Key);
      // S3 answers with the content type the object was stored with, and the client parses
      // JSON and XML bodies: asking for octet-stream keeps the bytes as they are, while
      // error answers stay XML and keep their codes (NoSuchKey).
      const response = await send({ operation: 'GetObject', method: 'GET', host, path: `${path}?response-content-type=application%2Foctet-stream` }, o);
      const payload = response.payload;
      return { Body: Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === 'string' ? payload : '') };
    },
    async putObject(input, o) {
      const { host, path } = address(input.Bucket, input.Key);
      const response = await send({
        operation: 'PutObject',
        method: 'PUT',
        host,
        path,
        headers: { 'content-type': input.ContentType ?? 'application/octet-stream' },
        body: Buffer.from(input.Body),
      }, o);
      return { ETag: response.headers.etag };
    },
  };
}
