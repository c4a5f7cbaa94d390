import { useState } from 'preact/hooks';
import { api, download } from './api.js';
import { DateRange, day, dayAfter } from './date-range.js';

interface Stats {
  averageSeconds: number | null;
  n: number;
}
interface QueueRow {
  bucketLocal: string;
  queue: { name: string | null };
  volume: number;
  answered: number;
  sla: { rate: number | null };
  wait: Stats;
  handle: Stats;
  abandoned: number;
  transfers: number;
}
interface AgentRow {
  bucketLocal: string;
  agent: { displayName: string | null };
  handled: number;
  handle: Stats;
  firstResponse: Stats;
  transfersOut: number;
  offersDeclined: number;
  offersTimedOut: number;
}

const secs = (s: Stats) => (s.averageSeconds === null ? '—' : `${s.averageSeconds} s`);
const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10} %`);

/** Per queue and per agent figures from the reports API, for a date range, with CSV downloads. */
export function Reports() {
  const [from, setFrom] = useState(day(-6));
  const [to, setTo] = useState(day(0));
  const [bucket, setBucket] = useState<'day' | 'hour'>('day');
  const [queues, setQueues] = useState<QueueRow[] | null>(null);
  const [agents, setAgents] = useState<AgentRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // `to` is the last day shown, so the query ends the day after it.
  const query = () => {
    return `from=${from}T00:00:00Z&to=${dayAfter(to).slice(0, 10)}T00:00:00Z&bucket=${bucket}&timeZone=${encodeURIComponent(timeZone)}`;
  };
  const run = async (event?: Event) => {
    event?.preventDefault();
    try {
      const [q, a] = await Promise.all([
        api<{ rows: QueueRow[] }>('GET', `/reports/queues?${query()}`),
        api<{ rows: AgentRow[] }>('GET', `/reports/agents?${query()}`),
      ]);
      setQueues(q.rows);
      setAgents(a.rows);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const csv = (kind: 'queues' | 'agents') =>
    download(`/reports/${kind}?${query()}&format=csv`, `${kind}.csv`).catch((e: Error) =>
      setError(e.message),
    );
  return (
    <div class="reports">
      <form class="toolbar" onSubmit={(e) => void run(e)}>
        <DateRange from={from} to={to} onFrom={setFrom} onTo={setTo} />
        <select
          name="bucket"
          value={bucket}
          onChange={(e) => setBucket((e.target as HTMLSelectElement).value as 'day' | 'hour')}
        >
          <option value="day">per day</option>
          <option value="hour">per hour</option>
        </select>
        <button type="submit">Show</button>
        <button type="button" class="secondary" onClick={() => void csv('queues')}>
          Queues CSV
        </button>
        <button type="button" class="secondary" onClick={() => void csv('agents')}>
          Agents CSV
        </button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {queues && (
        <>
          <h2>Queues</h2>
          <table class="report">
            <thead>
              <tr>
                <th>Period</th>
                <th>Queue</th>
                <th>Volume</th>
                <th>Answered</th>
                <th>In SLA</th>
                <th>Avg wait</th>
                <th>Avg handle</th>
                <th>Abandoned</th>
                <th>Transfers</th>
              </tr>
            </thead>
            <tbody>
              {queues.map((r, i) => (
                <tr key={i}>
                  <td>{r.bucketLocal}</td>
                  <td>{r.queue.name}</td>
                  <td>{r.volume}</td>
                  <td>{r.answered}</td>
                  <td>{pct(r.sla.rate)}</td>
                  <td>{secs(r.wait)}</td>
                  <td>{secs(r.handle)}</td>
                  <td>{r.abandoned}</td>
                  <td>{r.transfers}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {agents && (
        <>
          <h2>Agents</h2>
          <table class="report">
            <thead>
              <tr>
                <th>Period</th>
                <th>Agent</th>
                <th>Handled</th>
                <th>Avg handle</th>
                <th>Avg first response</th>
                <th>Transfers out</th>
                <th>Offers declined</th>
                <th>Offers missed</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((r, i) => (
                <tr key={i}>
                  <td>{r.bucketLocal}</td>
                  <td>{r.agent.displayName}</td>
                  <td>{r.handled}</td>
                  <td>{secs(r.handle)}</td>
                  <td>{secs(r.firstResponse)}</td>
                  <td>{r.transfersOut}</td>
                  <td>{r.offersDeclined}</td>
                  <td>{r.offersTimedOut}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
