// Type declarations for the parts of xmpp.js (@xmpp/* 0.14, shipped without types) the connector uses.

declare module '@xmpp/xml' {
  export class Element {
    name: string;
    attrs: Record<string, string | undefined>;
    children: (Element | string)[];
    constructor(name: string, attrs?: Record<string, string | undefined>);
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    getText(): string;
    text(): string;
    toString(): string;
    append(child: Element | string): Element;
  }
  /** Streaming parser: `start` (root opened), `element` (a child of the root closed), `end`, `error`. */
  export class Parser {
    on(event: 'start' | 'element' | 'end', listener: (element: Element) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    write(data: string): void;
    end(data?: string): void;
  }
  export function xml(
    name: string,
    attrs?: Record<string, string | undefined> | null,
    ...children: (Element | string)[]
  ): Element;
  export default xml;
}

declare module '@xmpp/client' {
  import type { Element } from '@xmpp/xml';
  import type { EventEmitter } from 'node:events';

  export interface Jid {
    local: string;
    domain: string;
    resource: string;
    bare(): Jid;
    toString(): string;
  }
  export interface ClientOptions {
    service: string;
    domain?: string;
    resource?: string;
    username?: string;
    password?: string;
  }
  export interface XmppClient extends EventEmitter {
    status: string;
    jid: Jid | null;
    transports: unknown[];
    reconnect: { stop(): void; start(): void; delay: number };
    start(): Promise<Jid>;
    stop(): Promise<void>;
    send(element: Element): Promise<void>;
  }
  export function client(options: ClientOptions): XmppClient;
  export function jid(value: string): Jid;
  export { xml } from '@xmpp/xml';
}

declare module '@xmpp/tls/lib/Connection.js' {
  export default class ConnectionTLS {
    socketParameters(service: string): { port: number; host: string } | undefined;
  }
}
