export { KoaGateway, deploymentHash, ACCESS_LOG_FORMAT, type KoaGatewayArgs } from './component';
export {
  planGatewayResponses,
  planPreflights,
  corsHeaders,
  VALIDATION_TEMPLATES,
  DEFAULT_TEMPLATE,
  CORS_ALLOW_HEADERS,
  type GatewayResponseSpec,
  type PreflightSpec,
} from './responses';
