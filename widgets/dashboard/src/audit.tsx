import { useEffect, useState } from 'preact/hooks';
import type { AuditPage, AuditRecord } from '../../../src/realtime/contracts/audit.js';
import { api, download } from './api.js';
import { DateRange, day, dayAfter } from './date-range.js';

/** Kinds of action to filter by: a prefix ending in "." takes every action of that kind. */
const KINDS: [string, string][] = [
  ['', 'Everything'],
  ['auth.', 'Sign-ins'],
  ['transcript.', 'Transcripts read or searched'],
  ['conversation.', 'Conversation actions'],
  ['contact.', 'Contacts'],
  ['report.', 'Reports'],
  ['queue.', 'Queues'],
  ['staff.', 'Staff'],
  ['agent.', 'Agent states'],
  ['site.', 'Sites'],
  ['channel-account.', 'Channel accounts'],
  ['canned-reply.', 'Canned replies'],
  ['audit.', 'Audit log reads'],
];

/** The audit log (admins): who did what and when, filtered by period, kind and person, with CSV export. */
export function Audit() {
  const [from, setFrom] = useState(day(-6));
  const [to, setTo] = useState(day(0));
  const [kind, setKind] = useState('');
  const [actorId, setActorId] = useState('');
  const [staff, setStaff] = useState<{ id: string; displayName: string; email: string }[]>([]);
  const [rows, setRows] = useState<AuditRecord[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<{ id: string; displayName: string; email: string }[]>('GET', '/admin/staff').then(
      setStaff,
      () => undefined,
    );
    void show();
  }, []);

  // `to` is the last day shown, so the query ends the day after it.
  const query = () => {
    const params = new URLSearchParams({ from: `${from}T00:00:00Z`, to: dayAfter(to) });
    if (kind) params.set('action', kind);
    if (actorId) params.set('actorId', actorId);
    return params.toString();
  };
  const load = async (before: string | null) => {
    try {
      const page = await api<AuditPage>(
        'GET',
        `/admin/audit?${query()}&limit=100${before ? `&before=${before}` : ''}`,
      );
      setRows((current) => (before && current ? [...current, ...page.events] : page.events));
      setNext(page.next);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const show = (event?: Event) => {
    event?.preventDefault();
    return load(null);
  };
  const csv = () =>
    download(`/admin/audit?${query()}&format=csv`, 'audit.csv').catch((e: Error) => setError(e.message));

  return (
    <div class="audit">
      <h2>Audit log</h2>
      <form class="toolbar" onSubmit={(e) => void show(e)}>
        <DateRange from={from} to={to} onFrom={setFrom} onTo={setTo} />
        <select
          aria-label="Kind of action"
          value={kind}
          onChange={(e) => setKind((e.target as HTMLSelectElement).value)}
        >
          {KINDS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <select
          aria-label="Done by"
          value={actorId}
          onChange={(e) => setActorId((e.target as HTMLSelectElement).value)}
        >
          <option value="">Anyone</option>
          {staff.map((s) => (
            <option key={s.id} value={s.id}>
              {s.displayName} ({s.email})
            </option>
          ))}
        </select>
        <button type="submit">Show</button>
        <button type="button" class="secondary" onClick={() => void csv()}>
          CSV
        </button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {rows && rows.length === 0 && <p class="hint">Nothing recorded for these filters.</p>}
      {rows && rows.length > 0 && (
        <table class="audit-log">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th>Outcome</th>
              <th>On</th>
              <th>From</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-action={r.action} class={r.outcome}>
                <td>{new Date(r.at).toLocaleString()}</td>
                <td>{r.actorEmail ? `${r.actorEmail} (${r.actorRole ?? ''})` : '—'}</td>
                <td>{r.action}</td>
                <td class="outcome">{r.outcome}</td>
                <td>{r.targetId ? `${r.targetType ?? ''} ${r.targetId}` : '—'}</td>
                <td>{r.ip ?? '—'}</td>
                <td>
                  {Object.keys(r.data).length > 0 ? (
                    <details>
                      <summary>show</summary>
                      <pre>{JSON.stringify(r.data, null, 2)}</pre>
                    </details>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" class="secondary" onClick={() => void load(next)}>
          Older entries
        </button>
      )}
    </div>
  );
}
