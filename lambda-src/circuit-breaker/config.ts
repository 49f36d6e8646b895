import { CircuitConfigError } from './errors';
import {
  CIRCUIT_BREAKER_SETTINGS_VARIABLE, CircuitBreakerSettings, CircuitBreakerSettingsDocument, parseCircuitBreakerSettings,
} from '../../src/resilience/circuit-breaker-settings';
import { JsonConfig } from '../shared/config';

export const SETTINGS_VARIABLE = CIRCUIT_BREAKER_SETTINGS_VARIABLE;

/**
 * The settings the construct wrote (src/resilience/circuit-breaker-settings.ts), checked at
 * init: every problem is reported in one CircuitConfigError, so a bad deployment fails at
 * init instead of misbehaving per call.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): CircuitBreakerSettings {
  try {
    const config = JsonConfig.fromEnvironment<CircuitBreakerSettingsDocument>(SETTINGS_VARIABLE, env);
    return parseCircuitBreakerSettings(config, env.AWS_LAMBDA_FUNCTION_NAME);
  } catch (error) {
    throw new CircuitConfigError((error as Error).message);
  }
}
