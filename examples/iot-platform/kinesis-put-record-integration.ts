import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';

export interface KinesisPutRecordIntegrationProps {
  readonly stream: kinesis.IStream;
  /** The role API Gateway writes with; it gets exactly PutRecord on the stream (and its key). */
  readonly role: iam.IRole;
  /**
   * Where the partition key comes from, a parameter-mapping expression. The verified
   * token's subject keeps one device's records in order and cannot be forged by the body.
   */
  readonly partitionKey: string;
}

/**
 * An HTTP API route that writes the request body to a Kinesis stream as one record: a
 * first-class AWS service integration (`Kinesis-PutRecord`), so no function runs in the
 * ingestion hot path. API Gateway answers the caller with Kinesis's answer (shard id and
 * sequence number).
 */
export class KinesisPutRecordIntegration extends apigwv2.HttpRouteIntegration {
  constructor(id: string, private readonly props: KinesisPutRecordIntegrationProps) {
    super(id);
  }

  public bind(_options: apigwv2.HttpRouteIntegrationBindOptions): apigwv2.HttpRouteIntegrationConfig {
    this.props.stream.grant(this.props.role, 'kinesis:PutRecord');
    // A stream under a customer-managed key also needs the key to write.
    this.props.stream.encryptionKey?.grant(this.props.role, 'kms:GenerateDataKey');
    return {
      type: apigwv2.HttpIntegrationType.AWS_PROXY,
      subtype: apigwv2.HttpIntegrationSubtype.KINESIS_PUT_RECORD,
      payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_1_0,
      credentials: apigwv2.IntegrationCredentials.fromRole(this.props.role),
      parameterMapping: new apigwv2.ParameterMapping()
        .custom('StreamName', this.props.stream.streamName)
        .custom('Data', '$request.body')
        .custom('PartitionKey', this.props.partitionKey),
    };
  }
}
