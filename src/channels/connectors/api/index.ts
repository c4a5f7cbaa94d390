export { apiConnector } from './api.connector.js';
