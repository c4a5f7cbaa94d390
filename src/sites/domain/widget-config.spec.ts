import type { Site } from '../site.entity.js';
import { DEFAULT_PRIMARY_COLOR, widgetConfig } from './widget-config.js';

const site = {
  publicKey: 'site_abc',
  name: 'Acme Mutual',
  locale: null,
  appearance: {},
  greeting: {},
  prechatFields: [{ name: 'name', label: 'Name', type: 'text' as const, required: true }],
  identitySecretSealed: 'v1:secret',
} as Site;
const uploads = { maxBytes: 1000, contentTypes: ['image/png'] };

describe('widgetConfig', () => {
  it('fills the appearance with defaults from the site', () => {
    expect(widgetConfig(site, uploads)).toEqual({
      siteKey: 'site_abc',
      name: 'Acme Mutual',
      locale: null,
      appearance: { primaryColor: DEFAULT_PRIMARY_COLOR, title: 'Acme Mutual', position: 'right' },
      greeting: {},
      prechatFields: site.prechatFields,
      uploads: { maxBytes: 1000, contentTypes: ['image/png'] },
      identityRequired: false,
    });
  });

  it('uses what the site set, and never carries the identity secret', () => {
    const config = widgetConfig(
      {
        ...site,
        locale: 'es',
        appearance: { primaryColor: '#aa0000', title: 'Siniestros', position: 'left', launcherLabel: 'Chat' },
        greeting: { es: 'Hola', en: 'Hello' },
      },
      uploads,
    );
    expect(config.locale).toBe('es');
    expect(config.appearance).toEqual({
      primaryColor: '#aa0000',
      title: 'Siniestros',
      position: 'left',
      launcherLabel: 'Chat',
    });
    expect(config.greeting).toEqual({ en: 'Hello', es: 'Hola' });
    expect(JSON.stringify(config)).not.toContain('secret');
  });
});
