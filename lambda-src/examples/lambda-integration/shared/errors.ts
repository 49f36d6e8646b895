import { HandlerError } from '../../../shared/errors';

/**
 * An error the café workflow reacts to by name (Retry/Catch match the Lambda error type,
 * which is `error.name`). The name is set explicitly because minification renames classes.
 */
export class CafeError extends HandlerError {
  constructor(name: string, message: string, retryable = false) {
    super(name, message, retryable);
    this.name = name;
  }
}

/** The order breaks a rule of the café (bad lines, wrong total): it is rejected, never retried. */
export class OrderInvalid extends CafeError {
  constructor(message: string) {
    super('OrderInvalid', message);
  }
}

/** No order with this id exists (or it belongs to someone else, which callers must not learn). */
export class OrderNotFound extends CafeError {
  constructor(orderId: string) {
    super('OrderNotFound', `order ${orderId} does not exist`);
  }
}

/** Another execution already took the order: this one is a duplicate (a redelivered or replayed event). */
export class OrderAlreadyClaimed extends CafeError {
  constructor(orderId: string, status: string) {
    super('OrderAlreadyClaimed', `order ${orderId} is ${status}, not PLACED: another execution owns it`);
  }
}

/** Not enough stock for a line; nothing stays reserved. */
export class OutOfStock extends CafeError {
  constructor(sku: string, requested: number, available: number | undefined) {
    super('OutOfStock', available === undefined
      ? `${sku} is not on the menu`
      : `${sku}: ${requested} requested, ${available} available`);
  }
}

/** The payment provider refused the payment: retrying cannot help. */
export class PaymentDeclined extends CafeError {
  constructor(message: string) {
    super('PaymentDeclined', message);
  }
}

/** The payment provider could not be reached, failed or the circuit is open: retrying may help. */
export class PaymentProviderUnavailable extends CafeError {
  constructor(message: string) {
    super('PaymentProviderUnavailable', message, true);
  }
}

/** The payment provider answered something this code does not understand: a bug, not an outage. */
export class PaymentProviderError extends CafeError {
  constructor(message: string) {
    super('PaymentProviderError', message);
  }
}
