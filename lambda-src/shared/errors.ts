/**
 * Base of every error the library's handlers raise on purpose. `code` is stable (callers
 * and alarms may match on it) and `retryable` says whether trying again can help. Errors
 * thrown by a caller's own code pass through unchanged and are never wrapped in this.
 */
export class HandlerError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly retryable: boolean = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Invalid handler configuration, detected at init: the function cannot work until redeployed. */
export class ConfigurationError extends HandlerError {
  constructor(message: string) {
    super('CONFIGURATION_INVALID', message, false);
  }
}
