import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/** Options of {@link MeshTls.privateCa}. */
export interface PrivateCaTlsOptions {
  /** ARN of the AWS Private CA that issues the proxies' certificates. */
  readonly certificateAuthorityArn: string;
  /**
   * KMS key ECS uses for the certificates' private keys.
   * @default - an AWS owned key
   */
  readonly kmsKey?: kms.IKey;
  /**
   * The ECS infrastructure role that issues and rotates the certificates.
   * @default - a role trusted by ecs.amazonaws.com with the AWS managed policy
   * AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity
   */
  readonly role?: iam.IRole;
}

/**
 * Service Connect TLS: ECS issues, distributes and rotates certificates from AWS Private CA
 * and the proxies speak TLS 1.3 to each other. It encrypts proxy-to-proxy traffic; it does
 * not authorise clients by certificate (no mTLS policies, unlike App Mesh).
 */
export class MeshTls {
  /** Encrypt traffic between the mesh's proxies with certificates from AWS Private CA. */
  public static privateCa(options: PrivateCaTlsOptions): MeshTls {
    return new MeshTls(options.certificateAuthorityArn, options.kmsKey, options.role);
  }

  private constructor(
    /** ARN of the issuing AWS Private CA. */
    public readonly certificateAuthorityArn: string,
    /** KMS key for the private keys, if any. */
    public readonly kmsKey?: kms.IKey,
    /** Infrastructure role given by the caller, if any. */
    public readonly role?: iam.IRole,
  ) {}
}
