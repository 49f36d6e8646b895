export { ApiAuth, ApiAuthMode } from './api-auth';
export type { ApiKeyClient, CognitoAuthOptions, JwtAuthProps, TokenAuthOptions } from './api-auth';
export type { BaseRouteOptions, PublicRouteOptions, RouteOptions } from './api-route';
export type { ApiTenant, ApiThrottling, ApiTier } from './api-tier';
export { AuthorizedApi } from './authorized-api';
export type { ApiCacheOptions, ApiCustomDomainOptions, ApiStageSettings, ApiWafOptions, AuthorizedApiProps } from './authorized-api-props';
