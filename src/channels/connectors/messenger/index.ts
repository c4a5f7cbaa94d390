export { messengerConnector } from './messenger.connector.js';
