import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { IotDomainSettings } from './lab-settings';

/** Where the stack puts an uploaded truststore in the device bucket. */
export const TRUSTSTORE_KEY = 'truststore/ca-bundle.pem';

/** The domain's certificate, zone and the devices' truststore, shared by the REST and ingestion domains. */
export interface IotDomainParts {
  readonly zone: route53.IHostedZone;
  readonly certificate: acm.Certificate;
  readonly mtls: apigateway.MTLSConfig;
  /** Set when the stack uploads the truststore: the domains must wait for it. */
  readonly truststoreUpload?: s3deploy.BucketDeployment;
  /** `ingest.<domainName>`. */
  readonly ingestDomainName: string;
}

/**
 * One certificate for `<domainName>` and `ingest.<domainName>`, validated by DNS in the
 * given zone (no lookup: synthesis stays offline), and the devices' CA bundle for mutual
 * TLS: taken from `truststoreUri`, or uploaded from `truststoreFile` to the device bucket.
 */
export function createDomainParts(scope: Construct, domain: IotDomainSettings, deviceBucket: s3.IBucket): IotDomainParts {
  const zone = route53.HostedZone.fromHostedZoneAttributes(scope, 'HostedZone', { hostedZoneId: domain.hostedZoneId, zoneName: domain.hostedZoneName });
  const ingestDomainName = `ingest.${domain.domainName}`;
  const certificate = new acm.Certificate(scope, 'Certificate', {
    domainName: domain.domainName,
    subjectAlternativeNames: [ingestDomainName],
    validation: acm.CertificateValidation.fromDns(zone),
  });
  if (domain.truststoreUri) {
    const [, bucketName, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(domain.truststoreUri)!;
    return { zone, certificate, ingestDomainName, mtls: { bucket: s3.Bucket.fromBucketName(scope, 'TruststoreBucket', bucketName), key } };
  }
  const pem = readFileSync(domain.truststoreFile!, 'utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`-c truststoreFile must be a PEM bundle of CA certificates, but ${domain.truststoreFile} has no "-----BEGIN CERTIFICATE-----"`);
  }
  const truststoreUpload = new s3deploy.BucketDeployment(scope, 'Truststore', {
    sources: [s3deploy.Source.data(TRUSTSTORE_KEY, pem)],
    destinationBucket: deviceBucket,
    extract: true,
    prune: false,
    retainOnDelete: false,
  });
  return { zone, certificate, ingestDomainName, truststoreUpload, mtls: { bucket: deviceBucket, key: TRUSTSTORE_KEY } };
}

/** An alias record for an API Gateway domain. */
export function aliasRecord(scope: Construct, id: string, zone: route53.IHostedZone, recordName: string, target: route53.IAliasRecordTarget): route53.ARecord {
  return new route53.ARecord(scope, id, { zone, recordName, target: route53.RecordTarget.fromAlias(target) });
}

/** `ingest.<domainName>` with mutual TLS, mapped to the telemetry API's prod stage. */
export function mapIngestDomain(scope: Construct, parts: IotDomainParts, api: apigwv2.IHttpApi, stage: apigwv2.IHttpStage): apigwv2.DomainName {
  const domainName = new apigwv2.DomainName(scope, 'IngestDomain', {
    domainName: parts.ingestDomainName,
    certificate: parts.certificate,
    mtls: { bucket: parts.mtls.bucket, key: parts.mtls.key, version: parts.mtls.version },
  });
  if (parts.truststoreUpload) domainName.node.addDependency(parts.truststoreUpload);
  new apigwv2.ApiMapping(scope, 'IngestMapping', { api, domainName, stage });
  aliasRecord(scope, 'IngestAliasRecord', parts.zone, parts.ingestDomainName,
    new targets.ApiGatewayv2DomainProperties(domainName.regionalDomainName, domainName.regionalHostedZoneId));
  return domainName;
}
