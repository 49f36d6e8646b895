import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IotPlatformProps, IotPlatformStack } from '../../../examples/iot-platform/iot-platform-stack';
import { iotPlatformSettingsFromContext } from '../../../examples/iot-platform/lab-settings';
import { unacknowledgedNagFindings } from '../../helpers/nag';

// The opt-ins of the IoT platform, each synthesized on its own, and the context parser
// that turns `-c key=value` into them.
const synth = (props: IotPlatformProps) => Template.fromStack(new IotPlatformStack(new App(), 'IotPlatform', props));
const domain = { domainName: 'iot.example.com', hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.com' };
const fromContext = (context: Record<string, unknown>) => iotPlatformSettingsFromContext(new App({ context }));

describe('IotPlatform opt-ins', () => {
  test('meshTls on creates a short-lived Private CA used by every service; off creates none', () => {
    const off = synth({});
    off.resourceCountIs('AWS::ACMPCA::CertificateAuthority', 0);
    const on = synth({ meshTls: true });
    on.hasResourceProperties('AWS::ACMPCA::CertificateAuthority', { Type: 'ROOT', UsageMode: 'SHORT_LIVED_CERTIFICATE', KeyAlgorithm: 'EC_prime256v1' });
    on.resourceCountIs('AWS::ACMPCA::CertificateAuthorityActivation', 1);
    const services = Object.values(on.findResources('AWS::ECS::Service'));
    expect(services).toHaveLength(4);
    for (const service of services) {
      const tls = service.Properties.ServiceConnectConfiguration.Services[0].Tls;
      expect(tls.IssuerCertificateAuthority.AwsPcaAuthorityArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/MeshCa/), 'Arn'] });
      expect(service.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/MeshCaActivation/)]));
    }
  });

  test('domain context creates one certificate, two mutual-TLS domains, alias records and disables execute-api', () => {
    const template = synth({ domain: { ...domain, truststoreUri: 's3://device-trust/ca-bundle.pem' } });
    template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'iot.example.com', SubjectAlternativeNames: ['ingest.iot.example.com'] });
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: 'iot.example.com',
      MutualTlsAuthentication: { TruststoreUri: 's3://device-trust/ca-bundle.pem' },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'ingest.iot.example.com',
      MutualTlsAuthentication: { TruststoreUri: 's3://device-trust/ca-bundle.pem' },
    });
    template.resourceCountIs('AWS::Route53::RecordSet', 2);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP', DisableExecuteApiEndpoint: true });
  });

  test('a truststore file is uploaded to the device bucket and both domains wait for it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'iot-trust-'));
    const file = path.join(dir, 'ca.pem');
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const template = synth({ domain: { ...domain, truststoreFile: file } });
    template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    const rest = Object.values(template.findResources('AWS::ApiGateway::DomainName'))[0];
    expect(rest.Properties.MutualTlsAuthentication.TruststoreUri).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: expect.stringMatching(/^DeviceArtifacts/) }, '/truststore/ca-bundle.pem']] });
    expect(rest.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^Truststore/)]));
  });

  test('a truststore file that is not PEM stops the synth naming the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'iot-trust-'));
    const file = path.join(dir, 'ca.der');
    writeFileSync(file, Buffer.from([0x30, 0x82, 0x01]));
    expect(() => synth({ domain: { ...domain, truststoreFile: file } })).toThrow(/truststoreFile must be a PEM bundle.*ca\.der/);
  });

  test('auditDataEvents on records data events for the registry table and device bucket only', () => {
    synth({}).resourceCountIs('AWS::CloudTrail::Trail', 0);
    const template = synth({ auditDataEvents: true });
    const trail = Object.values(template.findResources('AWS::CloudTrail::Trail'))[0].Properties;
    expect(trail.EventSelectors).toBeUndefined();
    const selectors = trail.AdvancedEventSelectors.map((s: any) => s.FieldSelectors.find((f: any) => f.Field === 'resources.type').Equals[0]).sort();
    expect(selectors).toEqual(['AWS::DynamoDB::Table', 'AWS::S3::Object']);
    const arns = JSON.stringify(trail.AdvancedEventSelectors);
    expect(arns).toMatch(/TablesDeviceRegistry/);
    expect(arns).not.toMatch(/TablesReadings/);
  });

  test('waf off removes the web ACL and its association', () => {
    const template = synth({ waf: false });
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  test('a partner key adds an API-key client of tenant-b, configured by its SHA-256 only', () => {
    const sha = 'a'.repeat(64);
    const template = synth({ partnerKeySha256: sha });
    const settings = JSON.stringify(Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f.Properties.Environment));
    expect(settings).toContain(sha);
    expect(settings).toMatch(/partner-b/);
  });

  test('the stack with every opt-in on passes cdk-nag AwsSolutions and Serverless with only acknowledged findings', () => {
    const stack = new IotPlatformStack(new App(), 'IotPlatformAllOn', {
      meshTls: true, auditDataEvents: true, domain: { ...domain, truststoreUri: 's3://device-trust/ca.pem' }, partnerKeySha256: 'b'.repeat(64),
    });
    expect(unacknowledgedNagFindings(stack)).toEqual([]);
  });
});

describe('IotPlatform context', () => {
  test('no context means every opt-in off and WAF on', () => {
    expect(fromContext({})).toEqual({ meshTls: false, auditDataEvents: false, waf: true, alarmEmail: undefined, domain: undefined, partnerKeySha256: undefined });
  });

  test('on/off switches and a domain with a truststore URI are read', () => {
    expect(fromContext({ meshTls: 'on', waf: 'off', auditDataEvents: 'true', ...domain, truststoreUri: 's3://trust-bucket/ca.pem' })).toMatchObject({
      meshTls: true, waf: false, auditDataEvents: true, domain: { ...domain, truststoreUri: 's3://trust-bucket/ca.pem' },
    });
  });

  test('every bad value is reported in one error naming the key, the value and what is allowed', () => {
    let message = '';
    try {
      fromContext({ meshTls: 'yes', domainName: 'iot.other.org', hostedZoneId: 'Z1', hostedZoneName: 'example.com', partnerKeySha256: 'secret-key' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/-c meshTls must be one of on, off, true, false, got "yes"/);
    expect(message).toMatch(/-c domainName must be in the hosted zone "example.com", got "iot.other.org"/);
    expect(message).toMatch(/exactly one of -c truststoreUri=s3:\/\/bucket\/key and -c truststoreFile/);
    expect(message).toMatch(/-c partnerKeySha256 must be 64 lower-case hex characters/);
  });

  test('domain context without a truststore fails naming truststoreFile and truststoreUri', () => {
    expect(() => fromContext(domain)).toThrow(/truststoreUri.*truststoreFile/);
  });

  test('a truststore without a domain is refused: mutual TLS exists only on a custom domain', () => {
    expect(() => fromContext({ truststoreUri: 's3://trust-bucket/ca.pem' })).toThrow(/need a custom domain/);
  });

  test('an incomplete domain names all three keys', () => {
    expect(() => fromContext({ domainName: 'iot.example.com', truststoreUri: 's3://trust-bucket/ca.pem' }))
      .toThrow(/-c domainName, -c hostedZoneId and -c hostedZoneName go together/);
  });
});

