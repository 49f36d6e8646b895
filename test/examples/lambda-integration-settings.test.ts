import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as settings from '../../examples/lambda-integration/cafe-settings';
import { LambdaIntegrationLabStack } from '../../examples/lambda-integration/lambda-integration-lab-stack';
import { JsonConfig } from '../../lambda-src/shared/config';
import { synthesizedSettings, TOKEN, withRenamedKey } from '../helpers/settings-contract';

// The contracts between the café lab stack and its handlers: what the stack synthesizes,
// each handler's own parser reads as the lab meant it.
const template = Template.fromStack(new LambdaIntegrationLabStack(new App(), 'Lab'));
const read = <T>(variable: string, parse: (config: JsonConfig<T>) => unknown) =>
  parse(new JsonConfig<T>(variable, synthesizedSettings(template, variable)));

describe('café lab settings contracts', () => {
  test('the table readers get their tables', () => {
    expect(read(settings.MENU_SETTINGS_VARIABLE, settings.parseMenuSettings)).toEqual({ menuTable: TOKEN });
    expect(read(settings.INVENTORY_SETTINGS_VARIABLE, settings.parseMenuSettings)).toEqual({ menuTable: TOKEN });
    expect(read(settings.MENU_IMPORT_SETTINGS_VARIABLE, settings.parseMenuSettings)).toEqual({ menuTable: TOKEN });
    expect(read(settings.ORDER_STATUS_SETTINGS_VARIABLE, settings.parseOrdersSettings)).toEqual({ ordersTable: TOKEN });
    expect(read(settings.VALIDATE_ORDER_SETTINGS_VARIABLE, settings.parseOrdersSettings)).toEqual({ ordersTable: TOKEN });
    expect(read(settings.PLACE_ORDER_SETTINGS_VARIABLE, settings.parsePlaceOrderSettings)).toEqual({ menuTable: TOKEN, ordersTable: TOKEN });
  });

  test('payments, the stream processor, the report and the notifications read what they are given', () => {
    expect(read(settings.PAYMENTS_SETTINGS_VARIABLE, settings.parsePaymentsSettings)).toEqual({ breakerFunction: TOKEN });
    expect(read(settings.ORDER_STREAM_SETTINGS_VARIABLE, settings.parseOrderStreamSettings)).toEqual({ eventBusName: 'cafe' });
    expect(read(settings.SALES_REPORT_SETTINGS_VARIABLE, settings.parseSalesReportSettings))
      .toEqual({ ordersTable: TOKEN, reportBucket: TOKEN, approvalThresholdCents: 10_000 });
    expect(read(settings.NOTIFICATIONS_SETTINGS_VARIABLE, settings.parseNotificationsSettings))
      .toEqual({ kitchenQueueArn: TOKEN, maxReceiveCount: 3 });
  });

  test('a field the stack renamed fails the contract, naming the field', () => {
    const document = synthesizedSettings(template, settings.SALES_REPORT_SETTINGS_VARIABLE);
    expect(() => settings.parseSalesReportSettings(new JsonConfig(settings.SALES_REPORT_SETTINGS_VARIABLE, withRenamedKey(document, 'reportBucket', 'bucket'))))
      .toThrow(/reportBucket must be a non-empty string/);
  });
});
