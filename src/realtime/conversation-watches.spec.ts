import { jest } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type { Namespace } from 'socket.io';
import { ConversationWatches, WATCH_REFRESH_MS, WATCH_TTL_MS, watchRoom } from './conversation-watches.js';

/** A namespace of one node: its rooms, and what it sends to the other nodes. */
function fakeNamespace() {
  const events = new EventEmitter();
  const rooms = new Map<string, Set<string>>();
  const sent: unknown[][] = [];
  /** Nodes subscribed to the bus, this one included. */
  let nodes = 4;
  /** The answer of the other nodes to this node's request for their watches. */
  let answer: { resolve(lists: unknown[]): void; reject(error: Error): void } | undefined;
  const namespace = {
    on: (event: string, listener: (...args: unknown[]) => void) => events.on(event, listener),
    serverSideEmit: (...args: unknown[]) => sent.push(args),
    serverSideEmitWithAck: (event: string) => {
      sent.push([event]);
      return new Promise((resolve, reject) => (answer = { resolve, reject }));
    },
    adapter: { rooms, serverCount: async () => nodes },
  } as unknown as Namespace;
  /** What another node sends to this one. */
  const fromOtherNode = (event: string, ...args: unknown[]) => events.emit(event, ...args);
  const othersAnswer = async (lists: unknown[]) => {
    answer?.resolve(lists);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  const othersFail = async () => {
    answer?.reject(new Error('timeout reached: only 1 responses received out of 2'));
    await Promise.resolve();
  };
  const setNodes = (n: number) => (nodes = n);
  return { namespace, rooms, sent, fromOtherNode, othersAnswer, othersFail, setNodes };
}

describe('ConversationWatches', () => {
  let clock: number;
  let watches: ConversationWatches;
  let node: ReturnType<typeof fakeNamespace>;

  beforeEach(() => {
    jest.useFakeTimers();
    clock = 1_000_000;
    node = fakeNamespace();
    watches = new ConversationWatches(node.namespace, () => clock);
    watches.start();
  });

  /** Every other node (three) has told what it watches: nothing. */
  const settle = async () => {
    await node.othersAnswer([[], [], []]);
    expect(watches.isWatched('anything')).toBe(false);
    node.sent.length = 0;
  };

  afterEach(() => {
    watches.stop();
    jest.useRealTimers();
  });

  it('asks every other node what it watches, and treats every conversation as watched until they answer', async () => {
    expect(node.sent).toEqual([['watches:list']]);
    expect(watches.isWatched('c-1')).toBe(true);
    await node.othersAnswer([['c-5'], [], 'not a list']);
    expect(watches.isWatched('c-5')).toBe(true);
    expect(watches.isWatched('c-1')).toBe(false);
  });

  it('keeps treating every conversation as watched when fewer nodes answered than are on the bus', async () => {
    // Its own subscription came up after the request counted the nodes: one answer is missing.
    await node.othersAnswer([['c-5'], []]);
    expect(watches.isWatched('c-5')).toBe(true);
    expect(watches.isWatched('c-1')).toBe(true);
    // It asks again shortly; this time every other node answers.
    node.sent.length = 0;
    jest.advanceTimersByTime(500);
    expect(node.sent).toEqual([['watches:list']]);
    node.setNodes(3);
    await node.othersAnswer([[], []]);
    expect(watches.isWatched('c-1')).toBe(false);
    expect(watches.isWatched('c-5')).toBe(true);
  });

  it('stops asking once the refresh period has passed', async () => {
    await node.othersAnswer([['c-5'], []]);
    clock += WATCH_REFRESH_MS + 2_000;
    expect(watches.isWatched('c-1')).toBe(false);
    node.sent.length = 0;
    jest.advanceTimersByTime(500);
    expect(node.sent).toEqual([]);
  });

  it('when a node does not answer, treats every conversation as watched until all have repeated theirs', async () => {
    await node.othersFail();
    clock += WATCH_REFRESH_MS;
    expect(watches.isWatched('c-1')).toBe(true);
    clock += 2_000;
    expect(watches.isWatched('c-1')).toBe(false);
  });

  it('tells a node that starts what its own sockets watch', async () => {
    await settle();
    node.rooms.set(watchRoom('c-3'), new Set(['socket-b']));
    node.rooms.set('staff:s-1', new Set(['socket-b']));
    const replies: unknown[] = [];
    node.fromOtherNode('watches:list', (ids: unknown) => replies.push(ids));
    expect(replies).toEqual([['c-3']]);
  });

  it('knows nothing is watched until a socket watches, and tells every node at once', async () => {
    await settle();
    expect(watches.isWatched('c-1')).toBe(false);
    watches.watched('c-1');
    expect(watches.isWatched('c-1')).toBe(true);
    expect(watches.isWatched('c-2')).toBe(false);
    expect(node.sent).toContainEqual(['watches', ['c-1']]);
  });

  it('believes what other nodes say, for the TTL', async () => {
    await settle();
    node.fromOtherNode('watches', ['c-9', 42, 'c-10']);
    expect(watches.isWatched('c-9')).toBe(true);
    expect(watches.isWatched('c-10')).toBe(true);
    clock += WATCH_TTL_MS - 1;
    expect(watches.isWatched('c-9')).toBe(true);
    clock += 1;
    expect(watches.isWatched('c-9')).toBe(false);
  });

  it('ignores a malformed message from the bus', async () => {
    await settle();
    node.fromOtherNode('watches', 'c-1');
    node.fromOtherNode('watches', undefined);
    expect(watches.isWatched('c-1')).toBe(false);
  });

  it('repeats the watches of its own sockets, so they never expire while a socket watches', async () => {
    await settle();
    node.rooms.set(watchRoom('c-1'), new Set(['socket-a']));
    node.rooms.set('staff:s-1', new Set(['socket-a']));
    watches.watched('c-1');
    node.sent.length = 0;
    for (let i = 0; i < 6; i++) {
      clock += WATCH_REFRESH_MS;
      jest.advanceTimersByTime(WATCH_REFRESH_MS);
    }
    expect(watches.isWatched('c-1')).toBe(true);
    expect(node.sent).toHaveLength(6);
    expect(node.sent[0]).toEqual(['watches', ['c-1']]);
  });

  it('forgets a watch whose socket left once the TTL has passed', async () => {
    await settle();
    node.rooms.set(watchRoom('c-1'), new Set(['socket-a']));
    watches.watched('c-1');
    node.rooms.delete(watchRoom('c-1'));
    clock += WATCH_REFRESH_MS;
    jest.advanceTimersByTime(WATCH_REFRESH_MS);
    expect(watches.isWatched('c-1')).toBe(true);
    clock += WATCH_TTL_MS;
    jest.advanceTimersByTime(WATCH_REFRESH_MS);
    expect(watches.isWatched('c-1')).toBe(false);
  });
});
