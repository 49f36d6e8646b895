import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';

/** The custom domain of the lab, given as context (`-c domainName=... -c hostedZoneId=... -c hostedZoneName=...`). */
export interface LabDomainOptions {
  /** e.g. `api.example.com` */
  readonly domainName: string;
  /** The public hosted zone that holds the name, e.g. `Z0123456789ABC`. */
  readonly hostedZoneId: string;
  /** e.g. `example.com` */
  readonly hostedZoneName: string;
}

/** The hosted zone (by id, no lookup) and a certificate for the name, validated by DNS records CloudFormation creates in it. */
export function createLabCertificate(scope: Construct, options: LabDomainOptions): { zone: route53.IHostedZone; certificate: acm.Certificate } {
  const zone = route53.HostedZone.fromHostedZoneAttributes(scope, 'HostedZone', { hostedZoneId: options.hostedZoneId, zoneName: options.hostedZoneName });
  const certificate = new acm.Certificate(scope, 'Certificate', {
    domainName: options.domainName,
    validation: acm.CertificateValidation.fromDns(zone),
  });
  return { zone, certificate };
}

/**
 * Clean URLs on the domain: prod at the root (`https://api.example.com/v1/menu`), the other
 * stages under their name (`https://api.example.com/dev/v1/menu`), and an alias record.
 */
export function mapLabDomain(scope: Construct, domain: apigateway.DomainName, restApi: apigateway.IRestApi,
  stages: { name: string; stage: apigateway.Stage }[], zone: route53.IHostedZone, recordName: string): route53.ARecord {
  for (const { name, stage } of stages) domain.addBasePathMapping(restApi, { basePath: name, stage });
  return new route53.ARecord(scope, 'ApiAliasRecord', {
    zone,
    recordName,
    target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain)),
  });
}
