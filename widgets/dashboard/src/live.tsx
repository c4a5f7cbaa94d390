import { useEffect, useRef, useState } from 'preact/hooks';
import { io, type Socket } from 'socket.io-client';
import type { Availability } from '../../../src/realtime/contracts/common.js';
import type {
  AgentMetrics,
  QueueTotals,
  SupervisorClientEvents,
  SupervisorServerEvents,
  SupervisorSnapshot,
} from '../../../src/realtime/contracts/supervisor.events.js';
import { useNow } from '../../shared/use-now.js';
import { api } from './api.js';
import type { Activity } from '../../../src/realtime/contracts/activity.js';
import { ArrivalsChart, WaitChart } from './charts.js';

/** Service-level goal drawn on the chart: the share of conversations answered within target. */
const SLA_GOAL_PERCENT = 80;

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export type FeedSocket = Socket<SupervisorServerEvents, SupervisorClientEvents>;

/** The `/supervisor` connection, shared by the views: the metrics snapshot, and drill-ins' changes. */
export interface Feed {
  socket: FeedSocket | null;
  snapshot: SupervisorSnapshot | null;
  connected: boolean;
}

/** The `/supervisor` feed: the snapshot on connect, then every change pushed; no polling. */
export function useFeed(token: string): Feed {
  const [socket, setSocket] = useState<FeedSocket | null>(null);
  const [snapshot, setSnapshot] = useState<SupervisorSnapshot | null>(null);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const feed: FeedSocket = io(`${location.origin}/supervisor`, {
      auth: { token },
      transports: ['websocket'],
    });
    feed.on('connect', () => setConnected(true));
    feed.on('disconnect', () => setConnected(false));
    feed.on('snapshot', setSnapshot);
    feed.on('metrics', setSnapshot);
    setSocket(feed);
    return () => {
      feed.removeAllListeners();
      feed.disconnect();
      setSocket(null);
    };
  }, [token]);
  return { socket, snapshot, connected };
}

function Tile({
  title,
  totals,
  slaTarget,
  now,
}: {
  title: string;
  totals: QueueTotals;
  slaTarget?: number;
  now: number;
}) {
  const longest = totals.longestWaitingSince ? now - Date.parse(totals.longestWaitingSince) : null;
  const late = longest !== null && slaTarget !== undefined && longest > slaTarget * 1000;
  return (
    <section class="tile" aria-label={`Queue ${title}`} data-queue={title}>
      <h3>{title}</h3>
      <div class="figures">
        <div>
          <span class="big" data-figure="waiting">
            {totals.waiting}
          </span>
          <label>waiting</label>
        </div>
        <div>
          <span class={`big${late ? ' bad' : ''}`} data-figure="longest">
            {longest === null ? '—' : formatDuration(longest)}
          </span>
          <label>longest wait</label>
        </div>
        <div>
          <span class="big" data-figure="sla">
            {totals.slaPercent === null ? '—' : `${totals.slaPercent} %`}
          </span>
          <label>in SLA (30 min)</label>
        </div>
        <div>
          <span class="big" data-figure="abandoned">
            {totals.abandoned}
          </span>
          <label>abandoned</label>
        </div>
        <div>
          <span class="big" data-figure="assigned">
            {totals.assigned}
          </span>
          <label>with agents</label>
        </div>
      </div>
      <div class="agents-line">
        <span class="available" data-figure="available">
          {totals.agents.available} available
        </span>{' '}
        ·{' '}
        <span class="busy" data-figure="busy">
          {totals.agents.busy} busy
        </span>{' '}
        ·{' '}
        <span class="away" data-figure="away">
          {totals.agents.away} away
        </span>
      </div>
    </section>
  );
}

/**
 * Time in state counts from the agent's last availability change (connecting, disconnecting or filling
 * up do not restart it); missed offers are those let time out in a row, as routing counts them.
 */
function AgentsBoard({ agents, now }: { agents: AgentMetrics[]; now: number }) {
  const [error, setError] = useState<string | null>(null);
  const force = (id: string, availability: Availability) =>
    api('POST', `/supervision/agents/${id}/state`, { availability }).then(
      () => setError(null),
      (e: Error) => setError(e.message),
    );
  return (
    <section aria-label="Agents">
      <h2>Agents</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <table class="agents">
        <thead>
          <tr>
            <th>Agent</th>
            <th>State</th>
            <th>In state</th>
            <th>Active / capacity</th>
            <th>Offers missed in a row</th>
            <th>Set state</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => {
            const state = !a.connected
              ? 'offline'
              : a.availability === 'available' && a.activeConversations >= a.capacity
                ? 'busy'
                : a.availability;
            return (
              <tr key={a.id} data-agent={a.displayName}>
                <td>{a.displayName}</td>
                <td>
                  <span class={`state ${state}`}>
                    {state}
                    {!a.connected && a.availability !== 'offline' ? ` (${a.availability}, disconnected)` : ''}
                  </span>
                </td>
                <td>{formatDuration(now - Date.parse(a.availabilityChangedAt))}</td>
                <td>
                  {a.activeConversations} / {a.capacity}
                </td>
                <td>{a.missedOffers}</td>
                <td>
                  <select
                    aria-label={`Set state of ${a.displayName}`}
                    value=""
                    onChange={(e) => void force(a.id, (e.target as HTMLSelectElement).value as Availability)}
                  >
                    <option value="">…</option>
                    <option value="available">available</option>
                    <option value="away">away</option>
                    <option value="offline">offline</option>
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

interface OpenRow {
  id: string;
  status: string;
  channel: string;
  queueId: string;
  agentName: string | null;
  contactName: string | null;
  enqueuedAt: string;
}

export function Live({ feed, onOpen }: { feed: Feed; onOpen: (id: string) => void }) {
  const { snapshot, connected } = feed;
  const now = useNow();
  const [activity, setActivity] = useState<Activity | null>(null);
  const [open, setOpen] = useState<OpenRow[]>([]);
  const lastLoad = useRef(0);

  // Charts and the open list are read again when the pushed numbers change: at most
  // every 3 s, and once more after the last change so the lists never stay behind the tiles.
  const pending = useRef<number | undefined>(undefined);
  const load = () => {
    lastLoad.current = Date.now();
    api<Activity>('GET', '/supervision/activity').then(setActivity, () => undefined);
    api<OpenRow[]>('GET', '/supervision/conversations').then(setOpen, () => undefined);
  };
  useEffect(() => {
    if (!snapshot || pending.current !== undefined) return;
    const wait = Math.max(0, lastLoad.current + 3000 - Date.now());
    pending.current = window.setTimeout(() => {
      pending.current = undefined;
      load();
    }, wait);
  }, [snapshot]);
  useEffect(() => () => clearTimeout(pending.current), []);

  if (!snapshot) return <p class="hint">{connected ? 'Loading…' : 'Connecting…'}</p>;
  const queueName = (id: string) => snapshot.queues.find((q) => q.queueId === id)?.name ?? '';
  return (
    <div class="live">
      <p class={`feed ${connected ? 'on' : 'off'}`} role="status">
        {connected ? 'Live' : 'Reconnecting…'} · updated {new Date(snapshot.at).toLocaleTimeString()}
      </p>
      <div class="tiles">
        <Tile title="All queues" totals={snapshot.overall} now={now} />
        {snapshot.queues.map((q) => (
          <Tile key={q.queueId} title={q.name} totals={q} slaTarget={q.slaTargetSeconds} now={now} />
        ))}
      </div>
      <AgentsBoard agents={snapshot.agents} now={now} />
      <section aria-label="Open conversations">
        <h2>Open conversations</h2>
        {open.length === 0 && <p class="hint">None.</p>}
        <table class="open">
          <tbody>
            {open.map((c) => (
              <tr key={c.id}>
                <td>
                  <button class="link" onClick={() => onOpen(c.id)}>
                    {c.contactName ?? 'Customer'}
                  </button>
                </td>
                <td>{queueName(c.queueId)}</td>
                <td>
                  {c.status === 'queued'
                    ? `waiting ${formatDuration(now - Date.parse(c.enqueuedAt))}`
                    : c.agentName}
                </td>
                <td>{c.channel}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {activity && (
        <div class="charts">
          <section>
            <h2>Conversations per 15 minutes (today, last 8 hours)</h2>
            <ArrivalsChart activity={activity} slaGoal={SLA_GOAL_PERCENT} />
          </section>
          <section>
            <h2>Wait before answer today</h2>
            <WaitChart activity={activity} />
          </section>
        </div>
      )}
    </div>
  );
}
