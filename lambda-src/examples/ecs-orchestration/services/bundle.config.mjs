// The lab's container program, not a Lambda handler: the image (Dockerfile beside this
// file) has no AWS SDK of its own, so the bundle carries the SQS client it uses.
export const kind = 'container-program';
