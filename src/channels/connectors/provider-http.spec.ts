import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MediaTooLargeError } from './connector.js';
import { downloadHttpLimited as download } from './provider-http.js';
import { isPublicAddress } from './public-address.js';

/** The test's file host is on this machine, which production refuses (see the last test). */
const downloadHttpLimited = (url: string, maxBytes: number) =>
  download(url, maxBytes, { allowPrivateHosts: true });

/** A file host: `/file` serves 64 bytes, `/to-file`, `/to-ftp` and `/loop` redirect. */
function fileHost(): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === '/file') {
      res.writeHead(200, { 'content-type': 'image/png; charset=binary', 'content-length': '64' });
      res.end(Buffer.alloc(64, 1));
    } else if (req.url === '/to-file') {
      res.writeHead(302, { location: `${base}/file` });
      res.end();
    } else if (req.url === '/to-ftp') {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    } else if (req.url === '/loop') {
      res.writeHead(307, { location: '/loop' });
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

describe('downloading a URL a customer gave', () => {
  let host: { server: Server; base: string };
  beforeAll(async () => (host = await fileHost()));
  afterAll(() => new Promise((resolve) => host.server.close(resolve)));

  it('downloads over http(s), following redirects to http(s)', async () => {
    const file = await downloadHttpLimited(`${host.base}/to-file`, 1024);
    expect(file.contentType).toBe('image/png');
    expect(file.body).toEqual(Buffer.alloc(64, 1));
  });

  it('refuses other schemes, also as a redirect target', async () => {
    await expect(downloadHttpLimited('file:///etc/passwd', 1024)).rejects.toThrow(
      'must be http(s), not file:',
    );
    await expect(downloadHttpLimited(`${host.base}/to-ftp`, 1024)).rejects.toThrow(
      'must be http(s), not file:',
    );
  });

  it('stops at the size limit and after a few redirects', async () => {
    await expect(downloadHttpLimited(`${host.base}/file`, 63)).rejects.toBeInstanceOf(MediaTooLargeError);
    await expect(downloadHttpLimited(`${host.base}/loop`, 1024)).rejects.toThrow(
      'redirected more than 5 times',
    );
    await expect(downloadHttpLimited(`${host.base}/missing`, 1024)).rejects.toThrow('HTTP 404');
  });

  it('refuses this machine, the private network and link-local addresses, by name or number', async () => {
    await expect(download(`${host.base}/file`, 1024)).rejects.toThrow('non-public address: 127.0.0.1');
    const port = (host.server.address() as AddressInfo).port;
    await expect(download(`http://localhost:${port}/file`, 1024)).rejects.toThrow(
      'resolves only to non-public addresses',
    );
    await expect(download('http://[::1]/file', 1024)).rejects.toThrow('non-public address: ::1');
    await expect(download('http://[::ffff:10.1.2.3]/file', 1024)).rejects.toThrow('non-public address');
    await expect(download('http://169.254.169.254/latest/meta-data/', 1024)).rejects.toThrow(
      'non-public address',
    );
  });

  it('tells public addresses from the others', () => {
    for (const address of [
      '127.0.0.1',
      '10.0.0.8',
      '172.20.1.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:192.168.0.1',
      'not-an-address',
    ])
      expect([address, isPublicAddress(address)]).toEqual([address, false]);
    for (const address of ['8.8.8.8', '93.184.216.34', '2001:4860:4860::8888', '::ffff:8.8.8.8'])
      expect([address, isPublicAddress(address)]).toEqual([address, true]);
  });
});
