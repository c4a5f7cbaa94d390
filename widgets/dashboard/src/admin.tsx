import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';

type Item = Record<string, unknown> & { id: string };

interface ResourceSpec {
  title: string;
  path: string;
  /** Columns of the list. */
  columns: [string, (item: Item) => string][];
  /** What a new one starts from, edited as JSON. */
  template: Record<string, unknown>;
  /** Extra view under the editor (e.g. the widget snippet of a site). */
  extra?: (item: Item) => preact.ComponentChildren;
  deletable?: boolean;
}

const list = (v: unknown) => (Array.isArray(v) ? v.join(', ') : '');
const keys = (v: unknown) =>
  v && typeof v === 'object'
    ? Object.entries(v as Record<string, unknown>)
        .map(([k, n]) => `${k} ${String(n)}`)
        .join(', ')
    : '';

function Snippet({ site }: { site: Item }) {
  const snippet = `<script src="${location.origin}/widget.js" data-site="${String(site.publicKey)}" async></script>`;
  const [copied, setCopied] = useState(false);
  return (
    <div class="snippet">
      <h3>Widget snippet — paste before &lt;/body&gt; on the site</h3>
      <pre>{snippet}</pre>
      <button
        class="secondary"
        onClick={() => void navigator.clipboard.writeText(snippet).then(() => setCopied(true))}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}

export const RESOURCES: Record<string, ResourceSpec> = {
  queues: {
    title: 'Queues',
    path: '/admin/queues',
    columns: [
      ['Name', (q) => String(q.name)],
      ['Strategy', (q) => String(q.strategy)],
      ['Skills', (q) => list(q.requiredSkills)],
      ['SLA target', (q) => `${String(q.slaTargetSeconds)} s`],
    ],
    template: { name: 'New queue', strategy: 'longest_idle', requiredSkills: [], slaTargetSeconds: 60 },
    deletable: true,
  },
  staff: {
    title: 'Staff',
    path: '/admin/staff',
    columns: [
      ['Name', (s) => String(s.displayName)],
      ['Email', (s) => String(s.email)],
      ['Role', (s) => String(s.role)],
      ['Skills', (s) => keys(s.skills)],
      ['Capacity', (s) => String(s.capacity)],
      ['Active', (s) => (s.active ? 'yes' : 'no')],
    ],
    template: {
      email: 'new.agent@example.com',
      displayName: 'New Agent',
      password: 'choose-a-long-password',
      role: 'agent',
      capacity: 3,
      skills: {},
      queueIds: [],
    },
  },
  sites: {
    title: 'Sites',
    path: '/admin/sites',
    columns: [
      ['Name', (s) => String(s.name)],
      ['Key', (s) => String(s.publicKey)],
      ['Allowed origins', (s) => list(s.allowedOrigins)],
    ],
    template: {
      name: 'New site',
      allowedOrigins: ['https://www.example.com'],
      defaultQueueId: '',
      prechatFields: [{ name: 'name', label: 'Name', type: 'text', required: true }],
    },
    extra: (site) => <Snippet site={site} />,
  },
  'canned-replies': {
    title: 'Canned replies',
    path: '/admin/canned-replies',
    columns: [
      ['Shortcut', (c) => `/${String(c.shortcut)}`],
      ['Title', (c) => String(c.title)],
      ['Text', (c) => String(c.body).slice(0, 80)],
    ],
    template: { shortcut: 'greeting', title: 'Greeting', body: 'Hello, how can I help you today?' },
    deletable: true,
  },
};

/** Only the fields that differ from what was loaded: read-only ones (id, dates, keys) are never sent back. */
function changedFields(original: Item, edited: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(edited))
    if (JSON.stringify(original[k]) !== JSON.stringify(v)) out[k] = v;
  return out;
}

/**
 * One admin resource: its list and an editor. Fields are edited as JSON, so every setting the server
 * accepts (strategy, skills, SLA, hours, overflow, appearance…) can be changed here as it is added.
 */
export function AdminResource({ name }: { name: string }) {
  const spec = RESOURCES[name];
  const [items, setItems] = useState<Item[]>([]);
  const [selected, setSelected] = useState<Item | 'new' | null>(null);
  const [text, setText] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const reload = () => api<Item[]>('GET', spec.path).then(setItems, (e: Error) => setMessage(e.message));
  useEffect(() => {
    setSelected(null);
    setMessage(null);
    void reload();
  }, [name]);

  const edit = (item: Item | 'new') => {
    setSelected(item);
    setMessage(null);
    setText(JSON.stringify(item === 'new' ? spec.template : item, null, 2));
  };
  const save = async () => {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return setMessage('That is not valid JSON');
    }
    try {
      const saved =
        selected === 'new'
          ? await api<Item>('POST', spec.path, body)
          : await api<Item>(
              'PATCH',
              `${spec.path}/${(selected as Item).id}`,
              changedFields(selected as Item, body),
            );
      setMessage('Saved');
      await reload();
      edit(saved);
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  const remove = async () => {
    if (!selected || selected === 'new' || !confirm('Delete it?')) return;
    try {
      await api('DELETE', `${spec.path}/${selected.id}`);
      setSelected(null);
      await reload();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };

  return (
    <div class="admin">
      <div class="toolbar">
        <h2>{spec.title}</h2>
        <button onClick={() => edit('new')}>New</button>
      </div>
      <table class="report">
        <thead>
          <tr>
            {spec.columns.map(([h]) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr
              key={item.id}
              class={selected !== 'new' && selected?.id === item.id ? 'selected' : ''}
              onClick={() => edit(item)}
            >
              {spec.columns.map(([h, f]) => (
                <td key={h}>{f(item)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {selected && (
        <div class="editor">
          <h3>{selected === 'new' ? `New — ${spec.title.toLowerCase()}` : 'Edit'}</h3>
          <textarea
            name="json"
            rows={16}
            value={text}
            onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
            spellcheck={false}
          />
          <div class="toolbar">
            <button onClick={() => void save()}>Save</button>
            {spec.deletable && selected !== 'new' && (
              <button class="danger" onClick={() => void remove()}>
                Delete
              </button>
            )}
            {message && <span role="status">{message}</span>}
          </div>
          {selected !== 'new' && spec.extra?.(selected)}
        </div>
      )}
      {!selected && message && <p class="error">{message}</p>}
    </div>
  );
}
