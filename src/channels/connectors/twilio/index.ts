export { twilioSmsConnector, twilioWhatsappConnector } from './twilio.connector.js';
