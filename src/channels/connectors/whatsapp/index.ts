export { whatsappConnector } from './whatsapp.connector.js';
