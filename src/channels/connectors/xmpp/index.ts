export { xmppConnected, xmppConnector } from './xmpp.connector.js';
