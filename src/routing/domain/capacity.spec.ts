import {
  agentCapacity,
  canTakeAnother,
  freeKinds,
  capacityKind,
  usedSlots,
  type AgentCapacity,
  type AgentLoad,
  type Channel,
} from './capacity.js';
import type { ChannelKind } from '../../contacts/contact.entity.js';

// Checked by tsc, not at run time: the domain's channel list must stay the contact entity's, so a new
// channel cannot reach capacityKind without being given a capacity kind.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const channelsInSync: Same<Channel, ChannelKind> = true;
void channelsInSync;

const T0 = Date.parse('2026-03-02T09:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const NOW = at(1000);
const WRAP_UP = 30;

const SPLIT: AgentCapacity = { perKind: { web: 3, im: 6 } };

function load(
  activeByChannel: AgentLoad['activeByChannel'],
  recentCloses: AgentLoad['recentCloses'] = [],
): AgentLoad {
  return { activeByChannel, recentCloses };
}

const closed = (channel: Channel, secondsAgo: number) => ({
  channel,
  closedAt: new Date(NOW.getTime() - secondsAgo * 1000),
});

describe('capacityKind', () => {
  it('counts live chat as web', () => {
    expect(capacityKind('web')).toBe('web');
  });

  it.each(['whatsapp', 'messenger', 'telegram', 'sms', 'xmpp', 'api'] as const)(
    'counts %s as IM',
    (channel) => {
      expect(capacityKind(channel)).toBe('im');
    },
  );
});

describe('canTakeAnother: per kind', () => {
  it('takes a web chat while under the web limit', () => {
    expect(canTakeAnother(SPLIT, load({ web: 2 }), 'web', WRAP_UP, NOW)).toEqual({ canTake: true });
  });

  it('refuses a web chat at the web limit, with no known time it frees', () => {
    expect(canTakeAnother(SPLIT, load({ web: 3 }), 'web', WRAP_UP, NOW)).toEqual({
      canTake: false,
      reason: 'kind-full',
      freesAt: null,
    });
  });

  it('still takes IM when web is full: the limits are separate', () => {
    expect(canTakeAnother(SPLIT, load({ web: 3, whatsapp: 2 }), 'im', WRAP_UP, NOW)).toEqual({
      canTake: true,
    });
  });

  it('adds up every IM channel against the one IM limit', () => {
    const sixIm = load({ whatsapp: 2, telegram: 1, sms: 1, messenger: 1, xmpp: 1 });
    expect(canTakeAnother(SPLIT, sixIm, 'im', WRAP_UP, NOW)).toMatchObject({
      canTake: false,
      reason: 'kind-full',
    });
    const fiveIm = load({ whatsapp: 2, telegram: 1, api: 2 });
    expect(canTakeAnother(SPLIT, fiveIm, 'im', WRAP_UP, NOW)).toEqual({ canTake: true });
  });

  it('refuses a kind the agent has no capacity for', () => {
    const webOnly: AgentCapacity = { perKind: { web: 3 } };
    expect(canTakeAnother(webOnly, load({}), 'im', WRAP_UP, NOW)).toEqual({
      canTake: false,
      reason: 'no-capacity-for-kind',
      freesAt: null,
    });
    expect(canTakeAnother({ perKind: { web: 0, im: 6 } }, load({}), 'web', WRAP_UP, NOW)).toMatchObject({
      canTake: false,
      reason: 'no-capacity-for-kind',
    });
  });
});

describe('canTakeAnother: total', () => {
  it('a single legacy number caps everything together', () => {
    const legacy: AgentCapacity = { perKind: {}, total: 3 };
    expect(canTakeAnother(legacy, load({ web: 1, whatsapp: 1 }), 'web', WRAP_UP, NOW)).toEqual({
      canTake: true,
    });
    expect(canTakeAnother(legacy, load({ web: 2, whatsapp: 1 }), 'im', WRAP_UP, NOW)).toMatchObject({
      canTake: false,
      reason: 'total-full',
    });
  });

  it('a total on top of per-kind limits refuses even a kind with room', () => {
    const capped: AgentCapacity = { perKind: { web: 3, im: 6 }, total: 7 };
    expect(canTakeAnother(capped, load({ web: 2, whatsapp: 5 }), 'web', WRAP_UP, NOW)).toMatchObject({
      canTake: false,
      reason: 'total-full',
    });
    expect(canTakeAnother(capped, load({ web: 2, whatsapp: 4 }), 'web', WRAP_UP, NOW)).toEqual({
      canTake: true,
    });
  });
});

describe('canTakeAnother: wrap-up', () => {
  it('holds the slot of a just-closed conversation until wrap-up ends, and says when', () => {
    const justClosed = load({ web: 2 }, [closed('web', 10)]);
    expect(canTakeAnother(SPLIT, justClosed, 'web', WRAP_UP, NOW)).toEqual({
      canTake: false,
      reason: 'kind-full',
      freesAt: at(1020),
    });
    expect(canTakeAnother(SPLIT, justClosed, 'web', WRAP_UP, at(1019.999))).toMatchObject({ canTake: false });
    expect(canTakeAnother(SPLIT, justClosed, 'web', WRAP_UP, at(1020))).toEqual({ canTake: true });
  });

  it('frees the slot at close with no wrap-up configured', () => {
    expect(canTakeAnother(SPLIT, load({ web: 2 }, [closed('web', 0)]), 'web', 0, NOW)).toEqual({
      canTake: true,
    });
  });

  it('ignores closes whose wrap-up is long over', () => {
    expect(canTakeAnother(SPLIT, load({ web: 2 }, [closed('web', 31)]), 'web', WRAP_UP, NOW)).toEqual({
      canTake: true,
    });
  });

  it('a wrap-up of the other kind does not free this kind', () => {
    const webFull = load({}, [closed('web', 5), closed('whatsapp', 20)]);
    const oneWeb: AgentCapacity = { perKind: { web: 1, im: 6 } };
    // The WhatsApp wrap-up ends first (at +10 s) but only the web one (at +25 s) makes room for web.
    expect(canTakeAnother(oneWeb, webFull, 'web', WRAP_UP, NOW)).toEqual({
      canTake: false,
      reason: 'kind-full',
      freesAt: at(1025),
    });
  });

  it('counts wrap-ups against the total, and says when enough have ended', () => {
    const capped: AgentCapacity = { perKind: { web: 3, im: 6 }, total: 3 };
    const busy = load({ web: 1 }, [closed('sms', 25), closed('web', 15), closed('telegram', 5)]);
    // One open web chat + three wrap-ups = 4 in use; two wrap-ups must end (at +5 s, +15 s) to get under 3.
    expect(canTakeAnother(capped, busy, 'web', WRAP_UP, NOW)).toEqual({
      canTake: false,
      reason: 'total-full',
      freesAt: at(1015),
    });
  });
});

describe('usedSlots', () => {
  it('counts open conversations and wrap-ups by kind and in total', () => {
    const l = load({ web: 1, whatsapp: 2 }, [closed('web', 5), closed('api', 40)]);
    expect(usedSlots(l, WRAP_UP, NOW)).toEqual({ web: 2, im: 2, total: 4 });
  });
});

describe('agentCapacity', () => {
  it('reads a single number as up to that many of anything', () => {
    expect(agentCapacity(3, null)).toEqual({ perKind: {}, total: 3 });
    const capacity = agentCapacity(3, null);
    expect(canTakeAnother(capacity, load({ whatsapp: 2 }), 'web', WRAP_UP, NOW)).toEqual({ canTake: true });
    expect(canTakeAnother(capacity, load({ whatsapp: 2, web: 1 }), 'im', WRAP_UP, NOW)).toMatchObject({ canTake: false });
  });

  it('keeps limits per kind with the overall cap on top', () => {
    const capacity = agentCapacity(9, { web: 3, im: 6 });
    expect(capacity).toEqual({ perKind: { web: 3, im: 6 }, total: 9 });
    expect(freeKinds(capacity, load({ web: 3, telegram: 5 }), WRAP_UP, NOW)).toEqual(['im']);
    expect(freeKinds(agentCapacity(7, { web: 3, im: 6 }), load({ web: 2, sms: 5 }), WRAP_UP, NOW)).toEqual([]);
  });
});

describe('wrap-up per close', () => {
  it("holds each slot for its own queue's wrap-up, and frees at the first end that makes room", () => {
    const capacity: AgentCapacity = { perKind: { web: 1 } };
    const closes = [{ channel: 'web' as const, closedAt: new Date(NOW.getTime() - 10_000), wrapUpSeconds: 60 }];
    expect(canTakeAnother(capacity, load({}, closes), 'web', 0, NOW)).toEqual({
      canTake: false,
      reason: 'kind-full',
      freesAt: new Date(NOW.getTime() + 50_000),
    });
    // The same close under a 5-second queue wrap-up has already freed its slot.
    const short = [{ ...closes[0], wrapUpSeconds: 5 }];
    expect(canTakeAnother(capacity, load({}, short), 'web', 60, NOW)).toEqual({ canTake: true });
  });

  it('lists no kind as free while a wrap-up fills the total', () => {
    const capacity = agentCapacity(2, { web: 2, im: 2 });
    expect(freeKinds(capacity, load({ web: 1 }, [closed('xmpp', 5)]), WRAP_UP, NOW)).toEqual([]);
    expect(freeKinds(capacity, load({ web: 1 }, [closed('xmpp', 31)]), WRAP_UP, NOW)).toEqual(['web', 'im']);
  });
});
