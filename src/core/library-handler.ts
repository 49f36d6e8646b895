import { Construct } from 'constructs';
import { bundledHandlerCode } from './handler-code';
import { HandlerFunction } from './handler-function';
import { HandlerFunctionProps } from './handler-function-props';
import { acknowledgeNagFindings, NagAcknowledgement } from './nag';

/** Settings of one of the library's own bundled handlers. */
export interface LibraryHandlerProps extends Omit<HandlerFunctionProps, 'code' | 'handler' | 'codeName'> {
  /** The bundled handler: its folder below `lambda-src/`, e.g. `circuit-breaker`. */
  readonly handlerName: string;
  /** Acknowledgements for findings that are by design for this function (how it is invoked). */
  readonly nagAcknowledgements?: NagAcknowledgement[];
}

/** A {@link HandlerFunction} running one of the handlers bundled into the package's `assets/`. */
export function libraryHandler(scope: Construct, id: string, props: LibraryHandlerProps): HandlerFunction {
  const { handlerName, nagAcknowledgements, ...options } = props;
  const handler = new HandlerFunction(scope, id, { ...options, code: bundledHandlerCode(handlerName), codeName: handlerName });
  if (nagAcknowledgements) acknowledgeNagFindings(handler.function, nagAcknowledgements);
  return handler;
}
