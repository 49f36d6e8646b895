// Loaders of the approval handlers' settings; the contracts live beside the constructs
// that write them (src/workflow/approval-*-settings.ts).
import {
  APPROVAL_CALLBACK_SETTINGS_VARIABLE, CallbackSettings, CallbackSettingsDocument, parseCallbackSettings,
} from '../../src/workflow/approval-callback-settings';
import {
  APPROVAL_REQUEST_SETTINGS_VARIABLE, parseRequestSettings, RequestSettings, RequestSettingsDocument,
} from '../../src/workflow/approval-request-settings';
import { JsonConfig } from '../shared/config';

export type { CallbackSettings, RequestSettings };

export function requestSettings(env: NodeJS.ProcessEnv = process.env): RequestSettings {
  return parseRequestSettings(JsonConfig.fromEnvironment<RequestSettingsDocument>(APPROVAL_REQUEST_SETTINGS_VARIABLE, env));
}

export function callbackSettings(env: NodeJS.ProcessEnv = process.env): CallbackSettings {
  return parseCallbackSettings(JsonConfig.fromEnvironment<CallbackSettingsDocument>(APPROVAL_CALLBACK_SETTINGS_VARIABLE, env));
}
