import { NagSuppressions } from 'cdk-nag';
import { MeshedFargateService } from '../src';

/**
 * Acknowledges what an image built from a lab folder (`ContainerImage.fromAsset`) costs in
 * IAM: its tasks pull from the CDK asset repository, and ecr:GetAuthorizationToken takes no
 * resource. Call it for the services that run such an image.
 */
export function acknowledgeImageAssetPull(services: MeshedFargateService[]): void {
  for (const service of services) {
    NagSuppressions.addResourceSuppressions(service.taskDefinition.executionRole!, [{
      id: 'AwsSolutions-IAM5',
      reason: 'The image is built from the lab folder and pulled from the CDK asset repository: ecr:GetAuthorizationToken accepts no '
        + 'resource-level permission (resource must be *); the pull actions are scoped to that one repository.',
      appliesTo: ['Resource::*'],
    }], true);
  }
}
