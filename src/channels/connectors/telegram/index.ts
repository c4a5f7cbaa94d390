export { telegramConnector } from './telegram.connector.js';
