import { whatsappConnector } from '../connectors/whatsapp/whatsapp.connector.js';
import { accountProblems } from './account-rules.js';

const schema = whatsappConnector.accountSchema;
const secrets = { appSecret: 'a', accessToken: 'b', verifyToken: 'c' };

describe('channel account rules', () => {
  it('accepts a complete WhatsApp account', () => {
    expect(accountProblems(schema, { apiBaseUrl: 'http://127.0.0.1:9999' }, secrets, true)).toEqual([]);
  });

  it('names missing required secrets, unknown names, non-strings and bad URLs', () => {
    expect(accountProblems(schema, { colour: 'red', apiBaseUrl: 'ftp://x' }, { appSecret: 5 }, true)).toEqual(
      [
        'settings.colour is not known to this network',
        'secrets.appSecret must be a string',
        'secrets.accessToken is required (System user access token with whatsapp_business_messaging)',
        'secrets.verifyToken is required (The verify token entered in the app webhook settings)',
        'settings.apiBaseUrl must be an http(s) URL',
      ],
    );
  });

  it('does not ask for required values on a partial update', () => {
    expect(accountProblems(schema, {}, { accessToken: 'new' }, false)).toEqual([]);
  });
});
