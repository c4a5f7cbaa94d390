import { connectorNames } from '../connectors/registry.js';
import { handleHint } from './handle-hint.js';

describe('handleHint', () => {
  it('has its own hint for every registered network', () => {
    const generic = handleHint('no-such-network');
    for (const name of connectorNames()) expect(handleHint(name)).not.toBe(generic);
  });

  it('says what a handle looks like on phone and chat networks', () => {
    expect(handleHint('whatsapp')).toMatch(/phone number/i);
    expect(handleHint('telegram')).toMatch(/chat id/i);
    expect(handleHint('xmpp')).toMatch(/jabber id/i);
  });

  it('falls back to a generic hint, also for inherited property names', () => {
    expect(handleHint('toString')).toBe(handleHint('no-such-network'));
  });
});
