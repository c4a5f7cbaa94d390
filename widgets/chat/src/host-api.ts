import type { AckError, MessageView } from '../../../src/realtime/contracts/common.js';
import type { VisitorIdentity } from '../../../src/realtime/contracts/visitor.events.js';

/** Events the host page can listen to with `Switchboard.on(event, fn)`. */
export interface HostEvents {
  ready: null;
  open: null;
  close: null;
  'conversation-started': { conversationId: string };
  message: MessageView;
  'conversation-ended': { conversationId: string };
  error: Pick<AckError, 'code' | 'message'>;
}

export interface HostApi {
  open(): void;
  close(): void;
  identify(identity: VisitorIdentity): void;
  /** Answers for the site's pre-chat fields of the same names (other keys are not sent). */
  setAttributes(attributes: Record<string, string>): void;
  on<K extends keyof HostEvents>(event: K, listener: (data: HostEvents[K]) => void): () => void;
  off<K extends keyof HostEvents>(event: K, listener: (data: HostEvents[K]) => void): void;
  /** Same as calling the method: keeps `Switchboard.push(['open'])` working once loaded. */
  push(call: unknown[]): void;
}

type Listener = (data: never) => void;

/** The host's listeners, and what the page asked for before the widget was ready. */
export class HostBridge {
  private readonly listeners = new Map<string, Set<Listener>>();

  on<K extends keyof HostEvents>(event: K, listener: (data: HostEvents[K]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(event, set);
    return () => this.off(event, listener);
  }

  off<K extends keyof HostEvents>(event: K, listener: (data: HostEvents[K]) => void): void {
    this.listeners.get(event)?.delete(listener);
  }

  emit<K extends keyof HostEvents>(event: K, data: HostEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (data: HostEvents[K]) => void)(data);
      } catch (error) {
        // A failing host listener must not break the widget.
        console.warn('Switchboard listener failed', error);
      }
    }
    window.dispatchEvent(new CustomEvent(`switchboard:${event}`, { detail: data }));
  }
}

/** Replays calls queued as `window.Switchboard = window.Switchboard || []; Switchboard.push(['open'])`. */
export function replayQueue(queued: unknown, api: HostApi): void {
  if (!Array.isArray(queued)) return;
  for (const call of queued) api.push(call as unknown[]);
}

export function callApi(api: HostApi, call: unknown[]): void {
  const [method, ...args] = call;
  switch (method) {
    case 'open':
      return api.open();
    case 'close':
      return api.close();
    case 'identify':
      return api.identify(args[0] as VisitorIdentity);
    case 'setAttributes':
      return api.setAttributes(args[0] as Record<string, string>);
    case 'on':
      api.on(args[0] as keyof HostEvents, args[1] as (data: unknown) => void);
      return;
    default:
      console.warn(`Switchboard: unknown call ${String(method)}`);
  }
}
