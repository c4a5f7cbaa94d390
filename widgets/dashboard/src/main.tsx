import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { SignIn } from '../../shared/sign-in.js';
import { AdminResource, RESOURCES } from './admin.js';
import { Audit } from './audit.js';
import { api, getToken, setToken, signIn, type StaffMe } from './api.js';
import { Drill } from './drill.js';
import { Live, useFeed } from './live.js';
import { Reports } from './reports.js';
import './styles.css';

const BASE = '/dashboard/';
const path = () => location.pathname.slice(BASE.length).replace(/\/$/, '');

function Dashboard({ token, me, onSignOut }: { token: string; me: StaffMe; onSignOut: () => void }) {
  const [route, setRoute] = useState(path());
  // One connection for the whole dashboard: going from the board to a drill-in and back keeps it.
  const feed = useFeed(token);
  const [queues, setQueues] = useState<{ id: string; name: string }[]>([]);
  const [agents, setAgents] = useState<{ id: string; displayName: string }[]>([]);
  useEffect(() => {
    const onPop = () => setRoute(path());
    addEventListener('popstate', onPop);
    api<{ id: string; name: string }[]>('GET', '/admin/queues').then(setQueues, () => undefined);
    api<{ id: string; displayName: string; role: string }[]>('GET', '/admin/staff').then(
      (s) => setAgents(s.filter((p) => p.role === 'agent')),
      () => undefined,
    );
    return () => removeEventListener('popstate', onPop);
  }, []);
  const go = (to: string) => {
    history.pushState(null, '', BASE + to);
    setRoute(to);
  };
  const drill = /^conversations\/([0-9a-f-]{36})$/.exec(route)?.[1];
  const admin = /^admin\/([a-z-]+)$/.exec(route)?.[1];
  const link = (to: string, label: string) => (
    <a
      href={BASE + to}
      class={route === to || (to && route.startsWith(to)) ? 'current' : ''}
      onClick={(e) => {
        e.preventDefault();
        go(to);
      }}
    >
      {label}
    </a>
  );
  return (
    <div class="dashboard">
      <header class="top">
        <b>Switchboard</b>
        <nav>
          {link('', 'Live')}
          {link('reports', 'Reports')}
          {me.role === 'admin' && Object.entries(RESOURCES).map(([k, r]) => link(`admin/${k}`, r.title))}
          {me.role === 'admin' && link('audit', 'Audit log')}
        </nav>
        <span class="who">
          {me.displayName} ({me.role})
        </span>
        <button class="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main>
        {drill ? (
          <>
            <a
              href={BASE}
              onClick={(e) => {
                e.preventDefault();
                go('');
              }}
            >
              ← Live
            </a>
            <Drill id={drill} feed={feed} queues={queues} agents={agents} />
          </>
        ) : route === 'reports' ? (
          <Reports />
        ) : route === 'audit' ? (
          me.role === 'admin' ? (
            <Audit />
          ) : (
            <p class="error">The audit log needs the admin role.</p>
          )
        ) : admin && RESOURCES[admin] ? (
          me.role === 'admin' ? (
            <AdminResource name={admin} />
          ) : (
            <p class="error">Admin pages need the admin role.</p>
          )
        ) : (
          <Live feed={feed} onOpen={(id) => go(`conversations/${id}`)} />
        )}
      </main>
    </div>
  );
}

function App() {
  const [token, setTokenState] = useState(getToken());
  const [me, setMe] = useState<StaffMe | null>(null);
  const [error, setError] = useState<string | null>(null);
  const signOut = () => {
    setToken(null);
    setTokenState(null);
    setMe(null);
  };
  useEffect(() => {
    if (!token) return;
    api<StaffMe>('GET', '/auth/me').then(setMe, () => signOut());
  }, [token]);
  useEffect(
    () =>
      setError(
        me && me.role === 'agent'
          ? 'The dashboard is for supervisors and admins. Agents use the console at /console/.'
          : null,
      ),
    [me],
  );
  if (!token)
    return (
      <SignIn title="Switchboard dashboard" signIn={signIn} onSignedIn={() => setTokenState(getToken())} />
    );
  if (error)
    return (
      <div class="signin">
        <p class="error" role="alert">
          {error}
        </p>
        <button onClick={signOut}>Sign out</button>
      </div>
    );
  if (!me) return <p class="hint">Loading…</p>;
  return <Dashboard token={token} me={me} onSignOut={signOut} />;
}

render(<App />, document.getElementById('app')!);
