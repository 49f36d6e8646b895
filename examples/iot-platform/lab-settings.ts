import { App } from 'aws-cdk-lib';

/** The custom domain of the platform with mutual TLS for devices (`-c domainName=... ...`). */
export interface IotDomainSettings {
  /** The REST API's name, e.g. `iot.example.com`; telemetry is served at `ingest.<domainName>`. */
  readonly domainName: string;
  /** The public hosted zone holding the name, e.g. `Z0123456789ABC`. */
  readonly hostedZoneId: string;
  /** e.g. `example.com`. */
  readonly hostedZoneName: string;
  /** The devices' CA bundle already in S3 (`s3://bucket/key`); exactly one of this and `truststoreFile`. */
  readonly truststoreUri?: string;
  /** A local PEM bundle the stack uploads to the device bucket; exactly one of this and `truststoreUri`. */
  readonly truststoreFile?: string;
}

/** The switches of the IoT platform lab; everything off costs the least. */
export interface IotPlatformSettings {
  /** Subscribed to the incident topic. @default - none */
  readonly alarmEmail?: string;
  /** TLS between mesh services through a short-lived AWS Private CA (about USD 0.07/hour). @default false */
  readonly meshTls?: boolean;
  /** Custom domains with mutual TLS. @default - the execute-api endpoints, no mutual TLS */
  readonly domain?: IotDomainSettings;
  /** A CloudTrail trail recording data events of the device registry and the device bucket. @default false */
  readonly auditDataEvents?: boolean;
  /** The REST API's web ACL (per-IP and per-credential rate rules, about USD 0.01/hour). @default true */
  readonly waf?: boolean;
  /** SHA-256 (64 lower-case hex) of a partner's API key (`Authorization: ApiKey <key>`, tenant `tenant-b`). @default - no API-key client */
  readonly partnerKeySha256?: string;
}

const ON_OFF = ['on', 'off', 'true', 'false'];

/**
 * The lab's settings from `-c key=value` context. Every problem is reported in one error
 * naming the context key, the value received and what is allowed, before anything is built.
 */
export function iotPlatformSettingsFromContext(app: App): IotPlatformSettings {
  const problems: string[] = [];
  const text = (key: string): string | undefined => {
    const value: unknown = app.node.tryGetContext(key);
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') {
      problems.push(`-c ${key} must be a string, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return value;
  };
  const flag = (key: string, fallback: boolean): boolean => {
    const value: unknown = app.node.tryGetContext(key);
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    if (!ON_OFF.includes(String(value))) {
      problems.push(`-c ${key} must be one of ${ON_OFF.join(', ')}, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return value === 'on' || value === 'true';
  };

  const domainName = text('domainName');
  const hostedZoneId = text('hostedZoneId');
  const hostedZoneName = text('hostedZoneName');
  const truststoreUri = text('truststoreUri');
  const truststoreFile = text('truststoreFile');
  const partnerKeySha256 = text('partnerKeySha256');
  let domain: IotDomainSettings | undefined;
  if (domainName !== undefined || hostedZoneId !== undefined || hostedZoneName !== undefined) {
    if (!domainName || !hostedZoneId || !hostedZoneName) {
      problems.push(`-c domainName, -c hostedZoneId and -c hostedZoneName go together; got domainName=${JSON.stringify(domainName)}, ` +
        `hostedZoneId=${JSON.stringify(hostedZoneId)}, hostedZoneName=${JSON.stringify(hostedZoneName)}`);
    } else if (!domainName.endsWith(`.${hostedZoneName}`) && domainName !== hostedZoneName) {
      problems.push(`-c domainName must be in the hosted zone ${JSON.stringify(hostedZoneName)}, got ${JSON.stringify(domainName)}`);
    }
    if ((truststoreUri === undefined) === (truststoreFile === undefined)) {
      problems.push('a custom domain needs exactly one of -c truststoreUri=s3://bucket/key and -c truststoreFile=path/ca-bundle.pem ' +
        `(the devices' CA bundle for mutual TLS); got truststoreUri=${JSON.stringify(truststoreUri)}, truststoreFile=${JSON.stringify(truststoreFile)}`);
    }
    if (truststoreUri !== undefined && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+/.test(truststoreUri)) {
      problems.push(`-c truststoreUri must be s3://<bucket>/<key>, got ${JSON.stringify(truststoreUri)}`);
    }
    domain = { domainName: domainName!, hostedZoneId: hostedZoneId!, hostedZoneName: hostedZoneName!, truststoreUri, truststoreFile };
  } else if (truststoreUri !== undefined || truststoreFile !== undefined) {
    problems.push('-c truststoreUri and -c truststoreFile need a custom domain (-c domainName, -c hostedZoneId, -c hostedZoneName): mutual TLS exists only on a custom domain');
  }
  if (partnerKeySha256 !== undefined && !/^[0-9a-f]{64}$/.test(partnerKeySha256)) {
    problems.push(`-c partnerKeySha256 must be 64 lower-case hex characters (the SHA-256 of the key, never the key), got ${JSON.stringify(partnerKeySha256.slice(0, 80))}`);
  }
  const settings: IotPlatformSettings = {
    alarmEmail: text('alarmEmail'),
    meshTls: flag('meshTls', false),
    domain,
    auditDataEvents: flag('auditDataEvents', false),
    waf: flag('waf', true),
    partnerKeySha256,
  };
  if (problems.length > 0) throw new Error(`IotPlatform: invalid context: ${problems.join('; ')}`);
  return settings;
}
