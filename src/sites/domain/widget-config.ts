import type { WidgetAppearance, WidgetConfig } from '../../realtime/contracts/widget-config.js';
import type { Site } from '../site.entity.js';

export const DEFAULT_PRIMARY_COLOR = '#1f5fbf';

/** The site's widget appearance with defaults for what was not set. */
export function resolvedAppearance(site: Pick<Site, 'name' | 'appearance'>): WidgetAppearance {
  const a = site.appearance ?? {};
  return {
    primaryColor: a.primaryColor ?? DEFAULT_PRIMARY_COLOR,
    title: a.title ?? site.name,
    position: a.position ?? 'right',
    ...(a.launcherLabel ? { launcherLabel: a.launcherLabel } : {}),
  };
}

/** The public configuration the widget loads: nothing secret, nothing about other sites. */
export function widgetConfig(
  site: Pick<Site, 'publicKey' | 'name' | 'locale' | 'appearance' | 'greeting' | 'prechatFields'>,
  uploads: { maxBytes: number; contentTypes: readonly string[] },
): WidgetConfig {
  return {
    siteKey: site.publicKey,
    name: site.name,
    locale: site.locale ?? null,
    appearance: resolvedAppearance(site),
    greeting: {
      ...(site.greeting.en ? { en: site.greeting.en } : {}),
      ...(site.greeting.es ? { es: site.greeting.es } : {}),
    },
    prechatFields: site.prechatFields,
    uploads: { maxBytes: uploads.maxBytes, contentTypes: [...uploads.contentTypes] },
    identityRequired: false,
  };
}
