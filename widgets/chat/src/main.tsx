import { render } from 'preact';
import type { MessageView } from '../../../src/realtime/contracts/common.js';
import type { VisitorIdentity } from '../../../src/realtime/contracts/visitor.events.js';
import type { WidgetConfig } from '../../../src/realtime/contracts/widget-config.js';
import { App } from './app.js';
import { ChatClient } from './chat-client.js';
import { callApi, HostBridge, replayQueue, type HostApi } from './host-api.js';
import { pickLocale, translator } from './i18n.js';
import { Attention } from './notify.js';
import { WidgetStorage } from './storage.js';
import css from './styles.css?inline';
import { theme } from './theme.js';

declare global {
  interface Window {
    Switchboard?: HostApi | unknown[];
  }
}

/** The script tag that loaded the widget: its `src` gives the server, its data- attributes the settings. */
function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.site) return current;
  return document.querySelector<HTMLScriptElement>('script[data-site][src*="widget.js"]');
}

/** Styles for the shadow root: a constructed sheet (allowed under a CSP without 'unsafe-inline'), else <style>. */
function adoptStyles(root: ShadowRoot): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = css;
    root.appendChild(style);
  }
}

function identityFrom(script: HTMLScriptElement): VisitorIdentity | null {
  const { userId, userSignature, userName, userEmail } = script.dataset;
  if (!userId || !userSignature) return null;
  return {
    userId,
    signature: userSignature,
    ...(userName ? { name: userName } : {}),
    ...(userEmail ? { email: userEmail } : {}),
  };
}

async function boot(): Promise<void> {
  if (window.Switchboard && !Array.isArray(window.Switchboard)) return; // loaded twice
  const script = ownScript();
  const siteKey = script?.dataset.site;
  if (!script || !siteKey) {
    console.error('Switchboard: the widget script needs a data-site attribute');
    return;
  }
  const base = new URL(script.src, location.href).origin;
  const queued = window.Switchboard;
  const bridge = new HostBridge();

  // Calls made before the configuration arrives are kept and applied once the widget is up.
  const early: unknown[][] = [];
  const provisional: HostApi = {
    open: () => early.push(['open']),
    close: () => early.push(['close']),
    identify: (identity) => early.push(['identify', identity]),
    setAttributes: (attributes) => early.push(['setAttributes', attributes]),
    on: (event, listener) => bridge.on(event, listener),
    off: (event, listener) => bridge.off(event, listener),
    push: (call) => callApi(provisional, call),
  };
  window.Switchboard = provisional;
  replayQueue(queued, provisional);

  const response = await fetch(`${base}/widget/config/${encodeURIComponent(siteKey)}`, {
    credentials: 'omit',
  });
  if (!response.ok) {
    console.error(`Switchboard: the widget configuration could not be loaded (HTTP ${response.status})`);
    bridge.emit('error', {
      code: response.status === 404 ? 'not_found' : 'forbidden',
      message: `HTTP ${response.status}`,
    });
    return;
  }
  const config = (await response.json()) as WidgetConfig;
  const locale = pickLocale(config.locale, script.dataset.locale);
  const t = translator(locale);

  const host = document.createElement('switchboard-chat');
  host.setAttribute('data-site', siteKey);
  const colours = theme(config.appearance.primaryColor);
  host.style.setProperty('--sb-primary', colours.primary);
  host.style.setProperty('--sb-on-primary', colours.onPrimary);
  host.style.setProperty('--sb-link', colours.link);
  if (config.appearance.position === 'left') host.classList.add('sb-left');
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root);
  const mount = document.createElement('div');
  root.appendChild(mount);
  document.body.appendChild(host);

  const attention = new Attention();
  let announcement = { text: '', n: 0 };
  const announce = (message: MessageView) => {
    const name = message.senderName ?? t('agentFallback');
    const text = message.body || t('attachmentFrom');
    announcement = { text: t('newMessageFrom', { name, text }), n: announcement.n + 1 };
    rerender();
    attention.alert(t('newMessageTitle'));
  };
  const client = new ChatClient(
    base,
    siteKey,
    config,
    t,
    new WidgetStorage(siteKey),
    (e, d) => bridge.emit(e, d),
    announce,
  );
  const rerender = () =>
    render(
      <App
        client={client}
        config={config}
        locale={locale}
        t={t}
        announcement={announcement}
        onOpenChange={(open) => host.classList.toggle('sb-open', open)}
      />,
      mount,
    );
  rerender();
  document.addEventListener('visibilitychange', () => client.markRead());

  let identity = identityFrom(script);
  const api: HostApi = {
    open: () => client.setOpen(true),
    close: () => client.setOpen(false),
    identify: (next) => {
      if (!next?.userId || !next.signature) {
        console.error('Switchboard.identify needs { userId, signature }');
        return;
      }
      identity = next;
      client.identify(next);
    },
    setAttributes: (attributes) => {
      client.setAttributes(
        Object.fromEntries(Object.entries(attributes ?? {}).filter(([, value]) => typeof value === 'string')),
      );
    },
    on: (event, listener) => bridge.on(event, listener),
    off: (event, listener) => bridge.off(event, listener),
    push: (call) => callApi(api, call),
  };
  // Identity and attributes first, so the connection carries them; open/close after.
  const [settings, rest] = [
    early.filter((c) => c[0] !== 'open' && c[0] !== 'close'),
    early.filter((c) => c[0] === 'open' || c[0] === 'close'),
  ];
  settings.forEach((call) => {
    if (call[0] === 'identify') identity = call[1] as VisitorIdentity;
    else api.push(call);
  });
  window.Switchboard = api;
  client.connect(identity);
  rest.forEach((call) => api.push(call));
  if (script.dataset.open === 'true') api.open();
  bridge.emit('ready', null);
}

void boot();
