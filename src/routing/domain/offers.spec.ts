import {
  missedInARowAfter,
  nextOffer,
  nextRoundAt,
  NOT_YET_OFFERED,
  onAccept,
  onDecline,
  onTimeout,
  shouldSetAway,
  type OfferOutcome,
  type OfferSettings,
  type OfferState,
} from './offers.js';

const SETTINGS: OfferSettings = { timeoutSeconds: 30, retryAfterSeconds: 120 };
const RANKED = ['ana', 'ben', 'cat'];

/** A clock the test moves by hand. */
function simulatedClock(start = '2026-03-02T09:00:00Z') {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance: (seconds: number) => {
      t += seconds * 1000;
      return new Date(t);
    },
    at: (seconds: number) => new Date(Date.parse(start) + seconds * 1000),
  };
}

function expectOk<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

const offeredTo = (state: OfferState) => (state.status === 'offered' ? state.agentId : null);

describe('nextOffer', () => {
  it('offers a new conversation to the top-ranked agent until the timeout', () => {
    const clock = simulatedClock();
    expect(nextOffer(NOT_YET_OFFERED, RANKED, SETTINGS, clock.now())).toEqual({
      status: 'offered',
      agentId: 'ana',
      offeredAt: clock.at(0),
      expiresAt: clock.at(30),
      tried: ['ana'],
    });
  });

  it('keeps one offer at a time: an open offer or an assignment is left as it is', () => {
    const clock = simulatedClock();
    const offered = nextOffer(NOT_YET_OFFERED, RANKED, SETTINGS, clock.now());
    expect(nextOffer(offered, ['ben'], SETTINGS, clock.advance(5))).toBe(offered);
    const assigned = expectOk(onAccept(offered, 'ana', clock.now())).state;
    expect(nextOffer(assigned, RANKED, SETTINGS, clock.advance(5))).toBe(assigned);
  });

  it('waits without remembering anything when nobody is eligible', () => {
    const clock = simulatedClock();
    expect(nextOffer(NOT_YET_OFFERED, [], SETTINGS, clock.now())).toEqual(NOT_YET_OFFERED);
  });

  it('skips agents already offered this conversation, even if they now rank first', () => {
    const clock = simulatedClock();
    const declined = expectOk(
      onDecline(nextOffer(NOT_YET_OFFERED, RANKED, SETTINGS, clock.now()), 'ana', clock.advance(3)),
    );
    expect(offeredTo(nextOffer(declined.state, RANKED, SETTINGS, clock.now()))).toBe('ben');
  });

  it('follows the ranking as it is now, not as it was', () => {
    const clock = simulatedClock();
    const declined = expectOk(
      onDecline(nextOffer(NOT_YET_OFFERED, RANKED, SETTINGS, clock.now()), 'ana', clock.now()),
    );
    expect(offeredTo(nextOffer(declined.state, ['cat', 'ana'], SETTINGS, clock.now()))).toBe('cat');
  });
});

describe('a conversation nobody takes', () => {
  it('goes down the list, waits once everyone has passed, then starts a new round', () => {
    const clock = simulatedClock();
    let state = nextOffer(NOT_YET_OFFERED, RANKED, SETTINGS, clock.now());
    state = expectOk(onDecline(state, 'ana', clock.advance(5))).state;
    state = nextOffer(state, RANKED, SETTINGS, clock.now());
    expect(offeredTo(state)).toBe('ben');
    const timedOut = expectOk(onTimeout(state, clock.advance(30)));
    expect(timedOut.missedBy).toBe('ben');
    state = nextOffer(timedOut.state, RANKED, SETTINGS, clock.now());
    expect(offeredTo(state)).toBe('cat');
    state = expectOk(onDecline(state, 'cat', clock.advance(2))).state; // t = 37 s

    // Everyone said no: nobody is pinged again straight away.
    state = nextOffer(state, RANKED, SETTINGS, clock.now());
    expect(state).toEqual({ status: 'waiting', tried: ['ana', 'ben', 'cat'], exhaustedAt: clock.at(37) });
    expect(nextRoundAt(state, SETTINGS)).toEqual(clock.at(157));
    expect(nextOffer(state, RANKED, SETTINGS, clock.advance(119))).toEqual(state);

    // After the pause the round starts again from the top of the ranking.
    state = nextOffer(state, RANKED, SETTINGS, clock.advance(1));
    expect(state).toMatchObject({
      status: 'offered',
      agentId: 'ana',
      offeredAt: clock.at(157),
      tried: ['ana'],
    });
  });

  it('offers straight away to an agent who was not around for the round', () => {
    const clock = simulatedClock();
    let state = nextOffer(NOT_YET_OFFERED, ['ana'], SETTINGS, clock.now());
    state = nextOffer(
      expectOk(onDecline(state, 'ana', clock.advance(1))).state,
      ['ana'],
      SETTINGS,
      clock.now(),
    );
    expect(state.status).toBe('waiting');
    state = nextOffer(state, ['ana', 'dan'], SETTINGS, clock.advance(10));
    expect(state).toMatchObject({ status: 'offered', agentId: 'dan', tried: ['ana', 'dan'] });
    expect(nextRoundAt(state, SETTINGS)).toBeNull();
  });

  it('starts the next round at once when no pause is configured', () => {
    const clock = simulatedClock();
    const noPause = { ...SETTINGS, retryAfterSeconds: 0 };
    const declined = expectOk(
      onDecline(nextOffer(NOT_YET_OFFERED, ['ana'], noPause, clock.now()), 'ana', clock.now()),
    );
    expect(nextOffer(declined.state, ['ana'], noPause, clock.advance(1))).toMatchObject({
      status: 'offered',
      agentId: 'ana',
      tried: ['ana'],
    });
  });
});

describe('answering an offer', () => {
  const clock = simulatedClock();
  const offered = nextOffer(NOT_YET_OFFERED, RANKED, SETTINGS, clock.at(0));

  it('assigns the conversation when the agent accepts in time', () => {
    expect(onAccept(offered, 'ana', clock.at(29))).toEqual({
      ok: true,
      state: { status: 'assigned', agentId: 'ana', assignedAt: clock.at(29), tried: ['ana'] },
    });
  });

  it('refuses a late accept from the expiry instant, even before the timeout job ran', () => {
    expect(onAccept(offered, 'ana', clock.at(30))).toEqual({ ok: false, ignored: 'expired' });
    expect(onDecline(offered, 'ana', clock.at(31))).toEqual({ ok: false, ignored: 'expired' });
  });

  it('ignores an answer from an agent the conversation is not offered to', () => {
    expect(onAccept(offered, 'ben', clock.at(1))).toEqual({ ok: false, ignored: 'offered-to-someone-else' });
    expect(onDecline(offered, 'ben', clock.at(1))).toEqual({ ok: false, ignored: 'offered-to-someone-else' });
  });

  it('ignores answers and timeouts when there is no open offer (duplicates, stale jobs)', () => {
    const assigned = expectOk(onAccept(offered, 'ana', clock.at(5))).state;
    expect(onAccept(assigned, 'ana', clock.at(6))).toEqual({ ok: false, ignored: 'no-open-offer' });
    expect(onTimeout(assigned, clock.at(30))).toEqual({ ok: false, ignored: 'no-open-offer' });
    expect(onTimeout(NOT_YET_OFFERED, clock.at(30))).toEqual({ ok: false, ignored: 'no-open-offer' });
  });

  it('ignores a timeout that fires before the offer expires', () => {
    expect(onTimeout(offered, clock.at(29.999))).toEqual({ ok: false, ignored: 'not-expired' });
  });
});

describe('missed offers', () => {
  const run = (outcomes: OfferOutcome[]) => outcomes.reduce(missedInARowAfter, 0);

  it('counts timeouts in a row; an accept or a decline ends the run', () => {
    expect(run(['timed-out', 'timed-out'])).toBe(2);
    expect(run(['timed-out', 'timed-out', 'accepted', 'timed-out'])).toBe(1);
    expect(run(['timed-out', 'declined', 'timed-out'])).toBe(1);
  });

  it('sets the agent away at the threshold, not before', () => {
    expect(shouldSetAway(run(['timed-out', 'timed-out']), 3)).toBe(false);
    expect(shouldSetAway(run(['timed-out', 'timed-out', 'timed-out']), 3)).toBe(true);
  });

  it('never sets anyone away with the rule turned off (threshold 0)', () => {
    expect(shouldSetAway(50, 0)).toBe(false);
  });
});
