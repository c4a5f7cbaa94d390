import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client, xml, type XmppClient } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import ConnectionTLS from '@xmpp/tls/lib/Connection.js';

const DOMAIN = 'localhost';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function accepting(port: number, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`Prosody did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A real Prosody XMPP server for one test file: its own config, data and self-signed certificate for
 * `localhost` in a temp dir, bound to 127.0.0.1 on free ports (direct TLS and STARTTLS), no s2s.
 */
export class ProsodyServer {
  readonly domain = DOMAIN;
  private process: ChildProcess | null = null;

  private constructor(
    private readonly dir: string,
    readonly directTlsPort: number,
    readonly starttlsPort: number,
  ) {}

  /** PEM of the server's self-signed certificate: trusted explicitly by the connections that need it. */
  get certificate(): string {
    return readFileSync(join(this.dir, 'localhost.crt'), 'utf8');
  }

  /** Direct TLS service URL (`xmpps://127.0.0.1:<port>`). */
  get service(): string {
    return `xmpps://127.0.0.1:${this.directTlsPort}`;
  }

  private get configFile(): string {
    return join(this.dir, 'prosody.cfg.lua');
  }

  static async start(): Promise<ProsodyServer> {
    const dir = mkdtempSync(join(tmpdir(), 'sb-prosody-'));
    mkdirSync(join(dir, 'data'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'localhost.key'),
        '-out',
        join(dir, 'localhost.crt'),
        '-days',
        '2',
        '-subj',
        `/CN=${DOMAIN}`,
        '-addext',
        `subjectAltName=DNS:${DOMAIN}`,
      ],
      { stdio: 'ignore' },
    );
    const server = new ProsodyServer(dir, await freePort(), await freePort());
    const asRoot = process.getuid?.() === 0;
    writeFileSync(
      server.configFile,
      `-- Test server: loopback only, throwaway data.
pidfile = "${dir}/prosody.pid"
data_path = "${dir}/data"
${asRoot ? 'run_as_root = true' : ''}
log = { info = "${dir}/prosody.log"; error = "${dir}/prosody.err" }
interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_ports = { ${server.starttlsPort} }
c2s_direct_tls_ports = { ${server.directTlsPort} }
s2s_ports = { }
http_ports = { }
https_ports = { }
admin_socket = "${dir}/prosody.sock"
modules_enabled = { "disco"; "roster"; "saslauth"; "tls"; "ping"; "posix"; "offline" }
modules_disabled = { "s2s" }
c2s_require_encryption = true
authentication = "internal_hashed"
storage = "internal"
limits = { c2s = { rate = "1mb/s" } }
certificates = "${dir}"
ssl = { certificate = "${dir}/localhost.crt"; key = "${dir}/localhost.key" }
VirtualHost "${DOMAIN}"
  ssl = { certificate = "${dir}/localhost.crt"; key = "${dir}/localhost.key" }
`,
    );
    await server.run();
    return server;
  }

  /** Creates an account (`prosodyctl register`); returns its bare JID. */
  register(user: string, password: string): string {
    execFileSync('prosodyctl', ['--config', this.configFile, 'register', user, DOMAIN, password], {
      stdio: 'ignore',
    });
    return `${user}@${DOMAIN}`;
  }

  private async run(): Promise<void> {
    const child = spawn('prosody', ['--config', this.configFile, '-F'], { stdio: 'ignore' });
    this.process = child;
    await accepting(this.directTlsPort);
  }

  /** Stops the server (every client is disconnected) and starts it again on the same ports. */
  async restart(downMs = 500): Promise<void> {
    await this.halt();
    await new Promise((r) => setTimeout(r, downMs));
    await this.run();
  }

  private async halt(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async stop(): Promise<void> {
    await this.halt();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A customer's XMPP client (xmpp.js) that records what it receives. */
export class XmppCustomer {
  readonly received: Element[] = [];
  private constructor(readonly entity: XmppClient) {}

  static async connect(server: ProsodyServer, user: string, password: string): Promise<XmppCustomer> {
    const entity = client({
      service: server.service,
      domain: server.domain,
      username: user,
      password,
      resource: 'phone',
    });
    entity.reconnect.stop();
    const pem = server.certificate;
    const domain = server.domain;
    // Trust the test server's certificate on this connection only.
    entity.transports.unshift(
      class extends ConnectionTLS {
        override socketParameters(service: string) {
          const params = super.socketParameters(service);
          return params && { ...params, servername: domain, ca: [pem] };
        }
      },
    );
    const customer = new XmppCustomer(entity);
    entity.on('error', () => undefined);
    entity.on('stanza', (stanza: Element) => {
      if (stanza.is('message')) customer.received.push(stanza);
    });
    await entity.start();
    await entity.send(xml('presence', {}));
    return customer;
  }

  send(stanza: Element): Promise<void> {
    return this.entity.send(stanza);
  }

  /** The first received message (already or within `ms`) that passes `match`. */
  async next(match: (stanza: Element) => boolean, ms = 8000): Promise<Element> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('expected XMPP message did not arrive');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async close(): Promise<void> {
    this.entity.removeAllListeners();
    this.entity.on('error', () => undefined);
    await this.entity.stop().catch(() => undefined);
  }
}
