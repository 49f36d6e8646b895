// Capacity bought by the hour inside otherwise usage-priced services: API Gateway stage caches
// and Kinesis data streams.
import { line, notPriced, priced, Pricer } from '../model';
import { PRICES } from '../prices';
import { isRecord, literalBoolean, literalNumber, literalString } from '../template';

/** A REST API stage costs nothing of its own unless its cache cluster is on (0.5 GB by default). */
const priceApiStage: Pricer = (r) => {
  const enabled = literalBoolean(r.properties.CacheClusterEnabled ?? false);
  if (enabled === undefined) return notPriced('its CacheClusterEnabled is not a literal boolean');
  if (!enabled) return { kind: 'free' };
  const size = r.properties.CacheClusterSize === undefined ? '0.5' : literalString(r.properties.CacheClusterSize);
  const price = size === undefined ? undefined : PRICES.apiGatewayCache[size];
  if (!price) return notPriced(`cache size ${JSON.stringify(r.properties.CacheClusterSize)} has no price in the table`);
  return priced([line(r, `API Gateway stage cache, ${size} GB`, price, 1)]);
};

/** An on-demand stream bills per stream-hour; a provisioned one per shard-hour. */
const priceKinesisStream: Pricer = (r) => {
  const details = r.properties.StreamModeDetails;
  const mode = isRecord(details) ? literalString(details.StreamMode) : details === undefined ? 'PROVISIONED' : undefined;
  if (mode === 'ON_DEMAND') return priced([line(r, 'Kinesis data stream, on-demand', PRICES.kinesis.onDemandStream, 1)]);
  if (mode !== 'PROVISIONED') return notPriced('its StreamMode is not a literal ON_DEMAND or PROVISIONED');
  const shards = literalNumber(r.properties.ShardCount);
  if (shards === undefined) return notPriced('a provisioned stream without a literal ShardCount');
  return priced([line(r, 'Kinesis shard, provisioned', PRICES.kinesis.provisionedShard, shards)]);
};

/** Pricers of this file by CloudFormation type. */
export const STREAM_AND_CACHE_PRICERS: Readonly<Record<string, Pricer>> = {
  'AWS::ApiGateway::Stage': priceApiStage,
  'AWS::Kinesis::Stream': priceKinesisStream,
};
