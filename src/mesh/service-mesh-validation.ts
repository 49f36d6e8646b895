import { Construct } from 'constructs';
import type { ServiceMeshProps } from './service-mesh-props';
import { PropsValidator } from '../core/validation';

/** Lowercase DNS name of one or more labels, e.g. `iot-platform.local`. */
const NAMESPACE_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Every prop problem of a ServiceMesh in one error. */
export function validateServiceMeshProps(scope: Construct, props: ServiceMeshProps): void {
  const v = new PropsValidator(scope, 'ServiceMesh');
  v.matches('namespaceName', props.namespaceName, NAMESPACE_NAME,
    'a lowercase DNS name of labels of 1-63 letters, digits and hyphens (e.g. \'shop.local\')');
  v.throwIfInvalid();
}
