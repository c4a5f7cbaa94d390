import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSignature } from '../src/attachments/domain/signed-url.js';
import {
  ack,
  ADMIN,
  connectAgent,
  connectVisitor,
  login,
  nextEvent,
  SITE_ORIGIN,
  type AgentClient,
  type VisitorClient,
} from './support/clients.js';
import { ADMIN_ENV, createOrganisation, type Organisation } from './support/organisation.js';
import { TestEnvironment, type TestNode } from './support/test-app.js';

// A real 1×1 PNG and the start of a real PDF.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const MAX_BYTES = 64 * 1024;

interface Upload {
  status: number;
  body: any;
}

/** Files under the storage directory, recursively (directories alone do not count). */
function storedFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) =>
    statSync(join(dir, p)).isFile(),
  );
}

describe('attachments: upload, send, read through signed URLs', () => {
  let env: TestEnvironment;
  let node: TestNode;
  let org: Organisation;
  let storageDir: string;
  let ana: AgentClient;
  let anaToken: string;
  let customer: VisitorClient;
  let customerToken: string;
  let conversationId: string;
  let stranger: VisitorClient;
  let strangerToken: string;
  let strangerConversationId: string;
  const sockets: { disconnect(): unknown }[] = [];

  async function upload(
    path: string,
    token: string | undefined,
    body: Buffer | ReadableStream<Uint8Array>,
    headers: Record<string, string> = {},
  ): Promise<Upload> {
    const response = await fetch(node.url + path, {
      method: 'POST',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        'content-type': 'image/png',
        'x-file-name': encodeURIComponent('Front bumper.png'),
        origin: SITE_ORIGIN,
        ...headers,
      },
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: response.status, body: parsed };
  }

  const visitorUpload = (
    conversation: string,
    token: string | undefined,
    body: Buffer | ReadableStream<Uint8Array>,
    headers?: Record<string, string>,
  ) => upload(`/widget/conversations/${conversation}/attachments`, token, body, headers);

  const attachmentCount = async () =>
    (await env.query<{ n: number }>(`SELECT count(*)::int AS n FROM attachment`))[0].n;

  async function startChat(
    name: string,
  ): Promise<{ socket: VisitorClient; token: string; conversationId: string }> {
    const { socket, session } = await connectVisitor(node, org.siteKey);
    sockets.push(socket);
    const started = await ack(socket, 'conversation:start', { prechat: { name, policyNumber: 'POL-1' } });
    expect(started.ok).toBe(true);
    return { socket, token: session.token, conversationId: started.data.conversation.id };
  }

  beforeAll(async () => {
    storageDir = mkdtempSync(join(tmpdir(), 'sb-files-'));
    env = await TestEnvironment.create({
      ...ADMIN_ENV,
      STORAGE_DIR: storageDir,
      UPLOAD_MAX_BYTES: String(MAX_BYTES),
    });
    node = await env.startNode();
    org = await createOrganisation(node, { agentCount: 2, capacity: 3 });
    anaToken = org.agents[0].token;
    ({ socket: ana } = await connectAgent(node, anaToken));
    sockets.push(ana);
    expect((await ack(ana, 'availability:set', { availability: 'available' })).ok).toBe(true);
    const assigned = nextEvent<any>(ana, 'conversation:assigned');
    ({ socket: customer, token: customerToken, conversationId } = await startChat('Maria'));
    expect((await assigned).conversation.id).toBe(conversationId);
    const strangerAssigned = nextEvent<any>(ana, 'conversation:assigned');
    ({
      socket: stranger,
      token: strangerToken,
      conversationId: strangerConversationId,
    } = await startChat('Eve'));
    await strangerAssigned;
  });

  afterAll(async () => {
    sockets.splice(0).forEach((s) => s.disconnect());
    await env.close();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('stores a customer photo, and the signed URL serves it with safe headers', async () => {
    const result = await visitorUpload(conversationId, customerToken, PNG);
    expect(result).toEqual({
      status: 201,
      body: {
        attachment: {
          id: expect.any(String),
          fileName: 'Front bumper.png',
          contentType: 'image/png',
          size: PNG.length,
          url: expect.stringMatching(/^\/files\/[0-9a-f-]{36}\?expires=\d+&signature=[0-9a-f]{64}$/),
        },
      },
    });
    const file = await fetch(node.url + result.body.attachment.url);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('content-disposition')).toBe(
      `inline; filename="Front bumper.png"; filename*=UTF-8''Front%20bumper.png`,
    );
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
    expect(file.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('sends uploaded files with a message (text optional) that the agent can open, once only', async () => {
    const photo = (await visitorUpload(conversationId, customerToken, PNG)).body.attachment;
    const pdf = (
      await visitorUpload(conversationId, customerToken, PDF, {
        'content-type': 'application/pdf',
        'x-file-name': encodeURIComponent('Police report – 12.pdf'),
      })
    ).body.attachment;
    expect(pdf).toMatchObject({
      fileName: 'Police report – 12.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
    });

    const atAgent = nextEvent<any>(ana, 'message', (m) => m.clientId === 'with-files');
    const sent = await ack(customer, 'message:send', {
      conversationId,
      clientId: 'with-files',
      body: '',
      attachmentIds: [photo.id, pdf.id],
    });
    expect(sent.ok).toBe(true);
    const message = await atAgent;
    expect(message.body).toBe('');
    expect(message.attachments.map((a: any) => [a.id, a.fileName, a.contentType, a.size])).toEqual([
      [photo.id, 'Front bumper.png', 'image/png', PNG.length],
      [pdf.id, 'Police report – 12.pdf', 'application/pdf', PDF.length],
    ]);
    const opened = await fetch(node.url + message.attachments[1].url);
    expect(opened.status).toBe(200);
    expect(Buffer.from(await opened.arrayBuffer()).equals(PDF)).toBe(true);
    expect(opened.headers.get('content-disposition')).toMatch(
      /^inline; .*filename\*=UTF-8''Police%20report%20%E2%80%93%2012\.pdf$/,
    );

    // A retry with the same clientId is the same message; a new message cannot take the files again.
    expect(
      await ack(customer, 'message:send', {
        conversationId,
        clientId: 'with-files',
        body: '',
        attachmentIds: [photo.id, pdf.id],
      }),
    ).toEqual(sent);
    const again = await ack(customer, 'message:send', {
      conversationId,
      clientId: 'reuse',
      body: 'again',
      attachmentIds: [photo.id],
    });
    expect(again).toEqual({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining(photo.id) },
    });

    // Sync hands out fresh URLs for the same files.
    const synced = await ack(customer, 'sync', { conversationId, afterSeq: 0 });
    const withFiles = synced.data.messages.find((m: any) => m.clientId === 'with-files');
    expect(withFiles.attachments.map((a: any) => a.id)).toEqual([photo.id, pdf.id]);
    expect((await fetch(node.url + withFiles.attachments[0].url)).status).toBe(200);
  });

  it('refuses another visitor\u2019s attachment id in message:send, and stores no message', async () => {
    const theirs = (await visitorUpload(strangerConversationId, strangerToken, PNG)).body.attachment;
    const [before] = await env.query<{ last_seq: number }>(
      `SELECT last_seq FROM conversation WHERE id = $1`,
      [conversationId],
    );
    const result = await ack(customer, 'message:send', {
      conversationId,
      clientId: 'steal',
      body: 'look',
      attachmentIds: [theirs.id],
    });
    expect(result).toEqual({
      ok: false,
      error: { code: 'not_found', message: expect.stringContaining(theirs.id) },
    });
    const [after] = await env.query<{ last_seq: number }>(`SELECT last_seq FROM conversation WHERE id = $1`, [
      conversationId,
    ]);
    expect(after.last_seq).toBe(before.last_seq);
    const [row] = await env.query<{ message_id: string | null }>(
      `SELECT message_id FROM attachment WHERE id = $1`,
      [theirs.id],
    );
    expect(row.message_id).toBeNull();
    // Nor may the owner send it into a conversation it was not uploaded to.
    const elsewhere = await ack(stranger, 'message:send', {
      conversationId,
      clientId: 'x',
      body: '',
      attachmentIds: [theirs.id],
    });
    expect(elsewhere.ok).toBe(false);
  });

  it('refuses an upload into another visitor\u2019s conversation, or without a valid token', async () => {
    const before = { rows: await attachmentCount(), files: storedFiles(storageDir).length };
    expect((await visitorUpload(strangerConversationId, customerToken, PNG)).status).toBe(403);
    expect((await visitorUpload(conversationId, undefined, PNG)).status).toBe(401);
    expect((await visitorUpload(conversationId, customerToken.slice(0, -3) + 'AAA', PNG)).status).toBe(401);
    expect((await visitorUpload(conversationId, anaToken, PNG)).status).toBe(401);
    expect(
      (await visitorUpload(conversationId, customerToken, PNG, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect({ rows: await attachmentCount(), files: storedFiles(storageDir).length }).toEqual(before);
  });

  it.each([
    ['a type that is not allowed', 415, PNG, { 'content-type': 'text/html' }],
    ['HTML declared as a PNG', 415, Buffer.from('<!doctype html><script>alert(1)</script>'), {}],
    ['a PDF declared as a PNG', 415, PDF, {}],
    [
      'an SVG (scriptable image)',
      415,
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
      { 'content-type': 'image/svg+xml' },
    ],
    ['no file name', 400, PNG, { 'x-file-name': '' }],
    ['an empty file', 400, Buffer.alloc(0), {}],
    ['a file over the limit (declared length)', 413, Buffer.concat([PNG, Buffer.alloc(MAX_BYTES)]), {}],
  ])('answers %s with %d and keeps nothing', async (_, status, body, headers) => {
    const before = { rows: await attachmentCount(), files: storedFiles(storageDir).length };
    const result = await visitorUpload(conversationId, customerToken, body, headers);
    expect(result.status).toBe(status);
    expect(typeof result.body.message).toBe('string');
    expect({ rows: await attachmentCount(), files: storedFiles(storageDir).length }).toEqual(before);
  });

  it('stops a streamed upload without a length as soon as it passes the limit (413, nothing on disk)', async () => {
    const before = { rows: await attachmentCount(), files: storedFiles(storageDir).length };
    let sent = 0;
    const chunk = Buffer.alloc(16 * 1024, 7);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(PNG);
        sent += chunk.length;
        if (sent > MAX_BYTES * 4) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const result = await visitorUpload(conversationId, customerToken, body);
    expect(result.status).toBe(413);
    expect(result.body.message).toBe(`The file is larger than the limit of ${MAX_BYTES} bytes`);
    expect({ rows: await attachmentCount(), files: storedFiles(storageDir).length }).toEqual(before);
  });

  it('refuses forged and expired file URLs with 403', async () => {
    const { attachment } = (await visitorUpload(conversationId, customerToken, PNG)).body;
    const url = new URL(attachment.url, node.url);
    const expires = Number(url.searchParams.get('expires'));
    const key = createHmac('sha256', env.env.JWT_SECRET).update('switchboard:file-url').digest();
    const cases: [string, string][] = [
      ['a changed signature', `/files/${attachment.id}?expires=${expires}&signature=${'0'.repeat(64)}`],
      [
        'a pushed-back expiry',
        `/files/${attachment.id}?expires=${expires + 3600}&signature=${url.searchParams.get('signature')}`,
      ],
      ['no signature', `/files/${attachment.id}?expires=${expires}`],
      [
        'another file\u2019s signature',
        `/files/${attachment.id.replace(/.$/, (c: string) => (c === '0' ? '1' : '0'))}?${url.searchParams}`,
      ],
    ];
    for (const [, path] of cases) {
      const response = await fetch(node.url + path);
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
    }
    const past = Math.floor(Date.now() / 1000) - 5;
    const expired = await fetch(
      `${node.url}/files/${attachment.id}?expires=${past}&signature=${fileSignature(key, attachment.id, past)}`,
    );
    expect(expired.status).toBe(403);
    expect((await expired.json()).message).toMatch(/expired/);
    expect((await fetch(node.url + attachment.url)).status).toBe(200);
  });

  it('lets the assigned agent upload and send a file the customer can open; other agents may not upload', async () => {
    const result = await upload(`/conversations/${conversationId}/attachments`, anaToken, PNG, {
      'x-file-name': 'claim-form.png',
    });
    expect(result.status).toBe(201);
    const atCustomer = nextEvent<any>(customer, 'message', (m) => m.clientId === 'agent-file');
    expect(
      (
        await ack(ana, 'message:send', {
          conversationId,
          clientId: 'agent-file',
          body: 'Please fill this in',
          attachmentIds: [result.body.attachment.id],
        })
      ).ok,
    ).toBe(true);
    const message = await atCustomer;
    expect(message.attachments).toEqual([
      expect.objectContaining({ id: result.body.attachment.id, fileName: 'claim-form.png' }),
    ]);
    expect((await fetch(node.url + message.attachments[0].url)).status).toBe(200);

    const benToken = org.agents[1].token;
    expect((await upload(`/conversations/${conversationId}/attachments`, benToken, PNG)).status).toBe(403);
    expect((await upload(`/conversations/${conversationId}/attachments`, undefined, PNG)).status).toBe(401);
    expect((await upload(`/conversations/${conversationId}/attachments`, customerToken, PNG)).status).toBe(
      401,
    );
    // A customer cannot send the agent's file, even in the same conversation.
    const other = (await upload(`/conversations/${conversationId}/attachments`, anaToken, PNG)).body
      .attachment;
    const stolen = await ack(customer, 'message:send', {
      conversationId,
      clientId: 'agent-file-2',
      body: '',
      attachmentIds: [other.id],
    });
    expect(stolen.ok).toBe(false);
    // An admin (like a supervisor) may upload into any conversation.
    const admin = await login(node, ADMIN.email, ADMIN.password);
    expect((await upload(`/conversations/${strangerConversationId}/attachments`, admin, PNG)).status).toBe(
      201,
    );
  });

  it('refuses a message without text and without files', async () => {
    const result = await ack(customer, 'message:send', {
      conversationId,
      clientId: 'empty',
      body: '',
      attachmentIds: [],
    });
    expect(result).toEqual({
      ok: false,
      error: { code: 'bad_request', message: expect.stringMatching(/body must not be empty/) },
    });
  });
});
