export { KoaGateway, ACCESS_LOG_FORMAT, ACCOUNT_SETTINGS_ID, cloudWatchRolePrefix, type KoaGatewayArgs, type AccountLogging } from './component';
