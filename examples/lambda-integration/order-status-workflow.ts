import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/**
 * The EXPRESS workflow behind GET /orders/{orderId}: API Gateway starts it synchronously
 * (StartSyncExecution) and answers with its output. An order that does not exist, or is
 * another customer's, is a normal answer (a 404), not a failed execution, so failures and
 * their alarm mean something broke.
 */
export class OrderStatusWorkflow extends Construct {
  /** The method responses the integration can produce. */
  public static readonly METHOD_RESPONSES: apigateway.MethodResponse[] = [{ statusCode: '200' }, { statusCode: '404' }, { statusCode: '500' }];

  public readonly stateMachine: sfn.StateMachine;
  /** Express workflows keep no history in Step Functions: this log group is the history. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: { readonly reader: lambda.IFunction; readonly encryptionKey: kms.IKey }) {
    super(scope, id);
    const lookUp = new tasks.LambdaInvoke(this, 'LookUpOrder', {
      lambdaFunction: props.reader,
      payload: sfn.TaskInput.fromObject({
        orderId: sfn.JsonPath.stringAt('$.path.orderId'),
        callerId: sfn.JsonPath.stringAt('$.authorizer.sub'),
      }),
      payloadResponseOnly: true,
    });
    const answer = new sfn.Choice(this, 'OrderFound')
      .when(sfn.Condition.booleanEquals('$.found', true), new sfn.Pass(this, 'CustomerView', { outputPath: '$.order' }))
      .otherwise(new sfn.Pass(this, 'NotFound', { result: sfn.Result.fromObject({ notFound: true }) }));

    this.logGroup = new logs.LogGroup(this, 'ExecutionLog', {
      retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY, encryptionKey: props.encryptionKey,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(lookUp.next(answer)),
      timeout: Duration.seconds(20),
      tracingEnabled: true,
      // ALL: every execution's steps are in the log; without execution data (it holds customer ids).
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    NagSuppressions.addResourceSuppressions(this.stateMachine.role.node.tryFindChild('DefaultPolicy')!, [{
      id: 'AwsSolutions-IAM5',
      reason: 'CloudWatch Logs delivery (logs:CreateLogDelivery and related) and X-Ray tracing actions do not support resource-level permissions.',
      appliesTo: ['Resource::*'],
    }, {
      id: 'AwsSolutions-IAM5',
      reason: 'CDK grants invoke on the reader function and its versions (ARN:*): a wildcard over versions of that one function.',
      appliesTo: [`Resource::<${Stack.of(this).resolve((props.reader.node.defaultChild as lambda.CfnFunction).logicalId)}.Arn>:*`],
    }]);
  }

  /**
   * The API Gateway integration: path and authorizer context go into the execution input
   * (`$.path.orderId`, `$.authorizer.sub`); the output becomes 200, `notFound` a 404, and a
   * failed or timed-out execution a 500 that leaks nothing.
   */
  public integration(): apigateway.Integration {
    return apigateway.StepFunctionsIntegration.startExecution(this.stateMachine, {
      path: true,
      authorizer: true,
      querystring: false,
      headers: false,
      useDefaultMethodResponses: false,
      integrationResponses: [{
        statusCode: '200',
        responseTemplates: {
          'application/json': [
            '#if($input.path(\'$.status\').toString().equals("SUCCEEDED"))',
            '#set($output = $util.parseJson($input.path(\'$.output\')))',
            '#if($output.notFound)',
            '#set($context.responseOverride.status = 404)',
            '{"error":"ORDER_NOT_FOUND","message":"no such order for this customer"}',
            '#else',
            '$input.path(\'$.output\')',
            '#end',
            '#else',
            '#set($context.responseOverride.status = 500)',
            '{"error":"STATUS_UNAVAILABLE","message":"the status lookup failed; retry later","requestId":"$context.requestId"}',
            '#end',
          ].join('\n'),
        },
      }],
    });
  }
}
