import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ALERT_NOTIFIER_SETTINGS_VARIABLE, parseAlertNotifierSettings } from '../../../examples/iot-platform/alert-notifier-settings';
import { ANALYTICS_AGGREGATOR_SETTINGS_VARIABLE, parseAnalyticsAggregatorSettings } from '../../../examples/iot-platform/analytics-aggregator-settings';
import { DEVICE_API_SETTINGS_VARIABLE, parseDeviceApiSettings } from '../../../examples/iot-platform/device-api-settings';
import { IotPlatformStack } from '../../../examples/iot-platform/iot-platform-stack';
import { parseTelemetryConsumerSettings, TELEMETRY_CONSUMER_SETTINGS_VARIABLE } from '../../../examples/iot-platform/telemetry-consumer-settings';
import { parseWsAuthorizerSettings, WS_AUTHORIZER_SETTINGS_VARIABLE } from '../../../examples/iot-platform/ws-authorizer-settings';
import { parseWsConnectionsSettings, WS_CONNECTIONS_SETTINGS_VARIABLE } from '../../../examples/iot-platform/ws-connections-settings';
import { JsonConfig } from '../../../lambda-src/shared/config';
import { synthesizedSettings, TOKEN, withRenamedKey } from '../../helpers/settings-contract';

// The contracts between the IoT platform stack and its eight handlers: what the stack
// synthesizes, each handler's own parser reads as the stack meant it.
const template = Template.fromStack(new IotPlatformStack(new App(), 'IotPlatform'));
const read = <T>(variable: string, parse: (c: JsonConfig<T>) => T, description?: RegExp) =>
  parse(new JsonConfig<T>(variable, synthesizedSettings(template, variable, description)));

describe('IotPlatform settings contracts', () => {
  test('device-api reads its tables, the tenant data role, the user pool, the breaker and the command stage', () => {
    expect(read(DEVICE_API_SETTINGS_VARIABLE, parseDeviceApiSettings)).toEqual({
      registryTable: TOKEN, byTenantIndex: 'byTenant', readingsTable: TOKEN, tenantDataRoleArn: TOKEN, userPoolId: TOKEN,
      statusBreakerFunction: TOKEN, connectionsTable: TOKEN, commandsCallbackUrl: expect.stringMatching(/^https:\/\/TOKEN\.execute-api\.TOKEN\.TOKEN\/prod$/),
    });
  });

  test('the telemetry consumer reads its tables, the bySub index, the rejected queue, the analytics topic and an 80 degree threshold', () => {
    expect(read(TELEMETRY_CONSUMER_SETTINGS_VARIABLE, parseTelemetryConsumerSettings)).toEqual({
      readingsTable: TOKEN, registryTable: TOKEN, bySubIndex: 'bySub', rejectedQueueUrl: TOKEN, analyticsTopicArn: TOKEN, temperatureThreshold: 80,
    });
  });

  test('the fan-out consumers read the connections table and command stage, and the readings table', () => {
    expect(read(ALERT_NOTIFIER_SETTINGS_VARIABLE, parseAlertNotifierSettings)).toEqual({ connectionsTable: TOKEN, commandsCallbackUrl: expect.stringMatching(/\/prod$/) });
    expect(read(ANALYTICS_AGGREGATOR_SETTINGS_VARIABLE, parseAnalyticsAggregatorSettings)).toEqual({ readingsTable: TOKEN });
  });

  test('the WebSocket authorizer reads the pool issuer, its keys and both app clients', () => {
    expect(read(WS_AUTHORIZER_SETTINGS_VARIABLE, parseWsAuthorizerSettings)).toEqual({
      issuer: 'https://cognito-idp.TOKEN.amazonaws.com/TOKEN',
      jwksUri: 'https://cognito-idp.TOKEN.amazonaws.com/TOKEN/.well-known/jwks.json',
      deviceClientId: TOKEN, operatorClientId: TOKEN, registryTable: TOKEN, bySubIndex: 'bySub',
    });
  });

  test('the three WebSocket route handlers read the connections table and a TTL past the 2 hour connection limit', () => {
    for (const description of [/Remembers/, /Forgets/, /Sends an operator/]) {
      expect(read(WS_CONNECTIONS_SETTINGS_VARIABLE, parseWsConnectionsSettings, description)).toEqual({ connectionsTable: TOKEN, connectionTtlSeconds: 7500 });
    }
  });

  test('a field the stack renamed would fail the device-api and consumer contracts', () => {
    const deviceApi = synthesizedSettings(template, DEVICE_API_SETTINGS_VARIABLE);
    expect(() => parseDeviceApiSettings(new JsonConfig(DEVICE_API_SETTINGS_VARIABLE, withRenamedKey(deviceApi, 'tenantDataRoleArn', 'roleArn'))))
      .toThrow(/tenantDataRoleArn must be a non-empty string/);
    const consumer = synthesizedSettings(template, TELEMETRY_CONSUMER_SETTINGS_VARIABLE);
    expect(() => parseTelemetryConsumerSettings(new JsonConfig(TELEMETRY_CONSUMER_SETTINGS_VARIABLE, { ...consumer, temperatureThreshold: 'hot' })))
      .toThrow(/temperatureThreshold must be a number/);
  });
});
