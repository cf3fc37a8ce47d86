export { KoaGateway, KOA_GATEWAY_TYPE, ACCESS_LOG_FORMAT, ACCOUNT_SETTINGS_ID, cloudWatchRolePrefix, type KoaGatewayArgs, type AccountLogging } from './component';
