/**
 * `GET /widget/config/:siteKey`: what the widget shows before the customer writes. Public; when the
 * request carries an Origin header it must be one of the site's allowed origins.
 */

export type WidgetLocale = 'en' | 'es';

/** A question of the site's pre-chat form; answers are checked again by the server. */
export interface PrechatField {
  /** The key of the answer in `conversation:start`'s `prechat`. */
  name: string;
  label: string;
  type: 'text' | 'email' | 'tel' | 'date' | 'select' | 'textarea';
  required: boolean;
  /** The choices of a `select`. */
  options?: string[];
  /** Longest answer accepted, in characters (500 when absent). */
  maxLength?: number;
}

export interface WidgetAppearance {
  /** `#rrggbb`. */
  primaryColor: string;
  /** Heading of the chat panel. */
  title: string;
  /** Side of the page the launcher sits on. */
  position: 'right' | 'left';
  /** Text on the launcher button; the widget's own wording when absent. */
  launcherLabel?: string;
}

export interface WidgetConfig {
  siteKey: string;
  /** The site's name. */
  name: string;
  /** The site's language; null: the widget follows the browser's language. */
  locale: WidgetLocale | null;
  appearance: WidgetAppearance;
  /** First words shown in the panel, per language. */
  greeting: Partial<Record<WidgetLocale, string>>;
  prechatFields: PrechatField[];
  /** Upload limits, enforced by the server as well: larger files get 413, other types 415. */
  uploads: { maxBytes: number; contentTypes: string[] };
  /** Always false: a signed identity is optional (see the handshake's `identity`). */
  identityRequired: false;
}
