// The error names the approval workflow's definition matches and its handlers raise, in one
// place. Dependency-free: both approval handlers bundle this file.

/** SendTaskFailure's error when an approver rejects; the workflow catches it into `Rejected`. */
export const APPROVAL_REJECTED_ERROR = 'ApprovalRejected';
/** The request function's error for failures worth retrying (the request is idempotent). */
export const APPROVAL_REQUEST_TRANSIENT_ERROR = 'ApprovalRequestTransient';
/** The request function's error when the approval expired before its link could be sent; caught into `Expired`. */
export const APPROVAL_REQUEST_EXPIRED_ERROR = 'ApprovalRequestExpired';
