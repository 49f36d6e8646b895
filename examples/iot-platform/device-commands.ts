import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { accessLogGroup, accessLogLine } from './access-logs';
import { BY_SUB_INDEX, IotTables } from './data-tables';
import { IotIdentity } from './identity';
import { API_INVOKED_REASON, grantConnectionManagement, iotFunction, queryIndex } from './iot-function';
import { WS_AUTHORIZER_SETTINGS_VARIABLE, WsAuthorizerSettings } from './ws-authorizer-settings';
import { WS_CONNECTIONS_SETTINGS_VARIABLE, WsConnectionsSettings } from './ws-connections-settings';

export interface DeviceCommandsProps {
  readonly tables: IotTables;
  readonly identity: IotIdentity;
  readonly encryptionKey: kms.IKey;
}

/** API Gateway closes a WebSocket connection after 2 hours; its items outlive that by 5 minutes. */
export const CONNECTION_TTL_SECONDS = 2 * 3600 + 5 * 60;
export const COMMANDS_THROTTLE = { rateLimit: 50, burstLimit: 100 };

/**
 * The real-time command channel: a WebSocket API whose `$connect` is guarded by a Lambda
 * authorizer (Cognito ID tokens of devices or operators; WebSocket authorizers exist only on
 * `$connect`). Connections are remembered with a TTL; an operator's `sendCommand` reaches a
 * device only when that device is connected in the operator's own tenant.
 */
export class DeviceCommands extends Construct {
  public readonly api: apigwv2.WebSocketApi;
  public readonly stage: apigwv2.WebSocketStage;
  public readonly authorizerFunction: lambda.Function;
  public readonly connectFunction: lambda.Function;
  public readonly disconnectFunction: lambda.Function;
  public readonly sendCommandFunction: lambda.Function;
  public readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: DeviceCommandsProps) {
    super(scope, id);
    const { tables, identity, encryptionKey } = props;
    const connectionSettings = {
      [WS_CONNECTIONS_SETTINGS_VARIABLE]: {
        connectionsTable: tables.connections.tableName,
        connectionTtlSeconds: CONNECTION_TTL_SECONDS,
      } satisfies WsConnectionsSettings,
    };
    const handler = (fnId: string, bundle: string, description: string, settings: Record<string, object>) =>
      iotFunction(this, fnId, { bundle, description, encryptionKey, settings, reasons: API_INVOKED_REASON });

    this.authorizerFunction = handler('ConnectAuthorizer', 'ws-authorizer', 'Verifies device and operator ID tokens on WebSocket $connect (IoT platform)', {
      [WS_AUTHORIZER_SETTINGS_VARIABLE]: {
        issuer: identity.issuer,
        jwksUri: `${identity.issuer}/.well-known/jwks.json`,
        deviceClientId: identity.deviceClient.userPoolClientId,
        operatorClientId: identity.operatorClient.userPoolClientId,
        registryTable: tables.registry.tableName,
        bySubIndex: BY_SUB_INDEX,
      } satisfies WsAuthorizerSettings,
    });
    this.authorizerFunction.addToRolePolicy(queryIndex(tables.registry.tableArn, BY_SUB_INDEX));
    this.connectFunction = handler('Connect', 'ws-connect', 'Remembers a WebSocket connection and its tenant (IoT platform)', connectionSettings);
    this.disconnectFunction = handler('Disconnect', 'ws-disconnect', 'Forgets a closed WebSocket connection (IoT platform)', connectionSettings);
    this.sendCommandFunction = handler('SendCommand', 'ws-send-command', 'Sends an operator\'s command to a device of the same tenant (IoT platform)', connectionSettings);
    tables.connections.grant(this.connectFunction, 'dynamodb:PutItem');
    tables.connections.grant(this.disconnectFunction, 'dynamodb:GetItem', 'dynamodb:DeleteItem');
    tables.connections.grant(this.sendCommandFunction, 'dynamodb:GetItem', 'dynamodb:DeleteItem');

    this.api = new apigwv2.WebSocketApi(this, 'Api', {
      description: 'IoT platform device commands (WebSocket)',
      routeSelectionExpression: '$request.body.action',
      connectRouteOptions: {
        integration: new integrations.WebSocketLambdaIntegration('ConnectIntegration', this.connectFunction, { timeout: Duration.seconds(10) }),
        authorizer: new authorizers.WebSocketLambdaAuthorizer('ConnectAuthorizer', this.authorizerFunction, {
          identitySource: ['route.request.header.Authorization'],
        }),
      },
      disconnectRouteOptions: {
        integration: new integrations.WebSocketLambdaIntegration('DisconnectIntegration', this.disconnectFunction),
      },
      defaultRouteOptions: {
        integration: new integrations.WebSocketLambdaIntegration('DefaultIntegration', this.sendCommandFunction),
        returnResponse: true,
      },
    });
    this.api.addRoute('sendCommand', {
      integration: new integrations.WebSocketLambdaIntegration('SendCommandIntegration', this.sendCommandFunction),
      returnResponse: true,
    });
    this.accessLogs = accessLogGroup(this, 'AccessLogs', encryptionKey);
    this.stage = new apigwv2.WebSocketStage(this, 'Prod', {
      webSocketApi: this.api,
      stageName: 'prod',
      autoDeploy: true,
      throttle: COMMANDS_THROTTLE,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: apigateway.AccessLogFormat.custom(accessLogLine(
          { tenantId: '$context.authorizer.tenantId', principal: '$context.authorizer.sub', role: '$context.authorizer.role' },
          { routeKey: '$context.routeKey', eventType: '$context.eventType', connectionId: '$context.connectionId' },
        )),
      },
    });
    grantConnectionManagement(this.stage, this.sendCommandFunction);
    for (const route of this.api.node.findAll().filter((c): c is apigwv2.CfnRoute => c instanceof apigwv2.CfnRoute)) {
      if (route.routeKey !== '$connect') {
        NagSuppressions.addResourceSuppressions(route, [{
          id: 'AwsSolutions-APIG4',
          reason: 'WebSocket APIs accept authorizers on $connect only: every message of a connection was authorized when it connected, and the handlers act with the tenant and role stored for that connection.',
        }]);
      }
    }
  }
}
