import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { createLabVpc } from '../lab-vpc';

/**
 * The platform's VPC (2 AZs, one NAT gateway, flow logs kept a week) with the two gateway
 * endpoints: S3 and DynamoDB traffic from inside the VPC then bypasses the NAT gateway,
 * for free. Interface endpoints (ECR, Logs) would cost more at idle than the NAT traffic
 * they replace at lab volumes (the guide has the break-even).
 */
export function createIotNetwork(scope: Construct, flowLogKey: kms.IKey): ec2.Vpc {
  const vpc = createLabVpc(scope, { flowLogKey });
  vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  vpc.addGatewayEndpoint('DynamoDbEndpoint', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
  return vpc;
}
