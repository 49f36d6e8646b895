// Networking that bills by the hour: NAT gateways, public IPv4 addresses, load balancers and
// interface VPC endpoints.
import { line, notPriced, priced, Pricer } from '../model';
import { PRICES } from '../prices';
import { listLength, literalString } from '../template';

const { natGateway, publicIpv4, alb, albLcu, interfaceEndpointAz } = PRICES.network;

/** A NAT gateway bills by the hour whether or not traffic flows (private ones too). */
const priceNatGateway: Pricer = (r) => priced([line(r, 'NAT gateway', natGateway, 1)]);

/** An Elastic IP is a public IPv4 address: billed attached or not. NAT gateways take theirs from here. */
const priceElasticIp: Pricer = (r) => priced([line(r, 'public IPv4 address (Elastic IP)', publicIpv4, 1)]);

/**
 * An Application Load Balancer: the hourly charge, its LCUs (none billed idle, 1 in an
 * exercise hour) and, when internet-facing, one public IPv4 address per subnet (AZ) it spans.
 * That is an assumption: ALB nodes may take more addresses when they scale out under load.
 */
const priceLoadBalancer: Pricer = (r) => {
  const type = literalString(r.properties.Type) ?? 'application';
  if (type !== 'application') return notPriced(`a ${type} load balancer has no confirmed hourly price in the table`);
  const items = [
    line(r, 'Application Load Balancer', alb, 1),
    line(r, 'ALB capacity units (LCU): 0 when idle, 1 in an exercise hour', albLcu, PRICES.albIdleLcuFloor, 1),
  ];
  const internal = r.properties.Scheme === 'internal';
  const noPublicIpv4 = r.properties.IpAddressType === 'dualstack-without-public-ipv4';
  if (!internal && !noPublicIpv4) {
    const azs = listLength(r.properties.Subnets) ?? listLength(r.properties.SubnetMappings);
    if (azs === undefined) return notPriced('its subnets are not a literal list, so the number of public IPv4 addresses is unknown');
    items.push(line(r, 'public IPv4 address of an internet-facing ALB (one per AZ)', publicIpv4, azs));
  }
  return priced(items);
};

/** Interface endpoints bill per AZ (subnet) per hour; gateway endpoints (S3, DynamoDB) are free. */
const priceVpcEndpoint: Pricer = (r) => {
  const type = literalString(r.properties.VpcEndpointType) ?? 'Gateway';
  if (type === 'Gateway') return { kind: 'free' };
  if (type !== 'Interface') return notPriced(`${type} endpoints have no price in the table`);
  const azs = listLength(r.properties.SubnetIds);
  if (azs === undefined) return notPriced('its SubnetIds are not a literal list, so the number of AZs is unknown');
  return priced([line(r, 'interface VPC endpoint, per AZ', interfaceEndpointAz, azs)]);
};

/** Pricers of this file by CloudFormation type. */
export const NETWORK_PRICERS: Readonly<Record<string, Pricer>> = {
  'AWS::EC2::NatGateway': priceNatGateway,
  'AWS::EC2::EIP': priceElasticIp,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': priceLoadBalancer,
  'AWS::EC2::VPCEndpoint': priceVpcEndpoint,
};
