import { io, type Socket } from 'socket.io-client';
import type { AgentClientEvents, AgentServerEvents } from '../../src/realtime/contracts/agent.events.js';
import type { VisitorClientEvents, VisitorServerEvents } from '../../src/realtime/contracts/visitor.events.js';
import type { TestNode } from './test-app.js';

export type AgentClient = Socket<AgentServerEvents, AgentClientEvents>;
export type VisitorClient = Socket<VisitorServerEvents, VisitorClientEvents>;

export const SITE_ORIGIN = 'https://www.acme-insurance.example';
export const ADMIN = { email: 'admin@test.example', password: 'admin-password-123' };
export const PASSWORD = 'agent-password-123';

export interface HttpResult<T = any> {
  status: number;
  body: T;
}

export async function http<T = any>(
  node: TestNode,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const response = await fetch(node.url + path, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, body: body as T };
}

export async function login(node: TestNode, email: string, password: string): Promise<string> {
  const result = await http<{ accessToken: string }>(node, 'POST', '/auth/login', { body: { email, password } });
  if (result.status !== 200) throw new Error(`login ${email} failed: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body.accessToken;
}

/** Resolves with the next `event` that passes `match`, or rejects after `ms`. */
export function nextEvent<T>(socket: Socket<any, any>, event: string, match: (data: T) => boolean = () => true, ms = 5000): Promise<T> {
  const caller = new Error().stack?.split('\n')[2]?.trim() ?? '';
  const waiting = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler);
      reject(new Error(`timed out waiting for ${event}, ${caller}`));
    }, ms);
    const handler = (data: T) => {
      if (!match(data)) return;
      clearTimeout(timer);
      socket.off(event, handler);
      resolve(data);
    };
    socket.on(event, handler);
  });
  // A wait nobody ends up awaiting (the test took another path) must not crash the run when it times out.
  waiting.catch(() => undefined);
  return waiting;
}

/**
 * The first `event` on any of `sockets`, with the index of the socket that got it. Unlike racing several
 * nextEvent calls, the losers leave no timer behind to reject later.
 */
export function nextEventAmong<T>(sockets: Socket<any, any>[], event: string, ms = 5000): Promise<{ index: number; data: T }> {
  const caller = new Error().stack?.split('\n')[2]?.trim() ?? '';
  return new Promise((resolve, reject) => {
    const handlers = sockets.map((socket, index) => {
      const handler = (data: T) => {
        cleanup();
        resolve({ index, data });
      };
      socket.on(event, handler);
      return handler;
    });
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${event} on any socket, ${caller}`));
    }, ms);
    function cleanup() {
      clearTimeout(timer);
      sockets.forEach((socket, index) => socket.off(event, handlers[index]));
    }
  });
}

/** Collects every `event` from now on, for assertions that something did (or did not) arrive. */
export function collect<T>(socket: Socket<any, any>, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (data: T) => seen.push(data));
  return seen;
}

export async function connectAgent(node: TestNode, token: string): Promise<{ socket: AgentClient; session: any }> {
  const socket: AgentClient = io(`${node.url}/agent`, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  const session = await nextEvent<any>(socket, 'session');
  return { socket, session };
}

export async function connectVisitor(
  node: TestNode,
  siteKey: string,
  options: { token?: string; origin?: string } = {},
): Promise<{ socket: VisitorClient; session: any }> {
  const socket: VisitorClient = io(`${node.url}/visitor`, {
    auth: { siteKey, ...(options.token ? { token: options.token } : {}) },
    transports: ['websocket'],
    extraHeaders: { origin: options.origin ?? SITE_ORIGIN },
    forceNew: true,
    reconnection: false,
  });
  const session = await nextEvent<any>(socket, 'session');
  return { socket, session };
}

/** The error a handshake was refused with. */
export function connectError(socket: Socket<any, any>): Promise<Error & { data?: { code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    socket.once('connect_error', resolve);
    socket.once('connect', () => reject(new Error('connected, but a refusal was expected')));
  });
}

export function ack<T = any>(socket: Socket<any, any>, event: string, payload: unknown): Promise<any> {
  return socket.timeout(5000).emitWithAck(event, payload) as Promise<T>;
}
