import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { LocalDiskDriver } from './local-disk.driver.js';
import { StorageNotFoundError } from './storage-driver.js';

const meta = { contentType: 'image/png', fileName: 'a.png' };

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((p) => statSync(join(dir, p)).isFile());
}

describe('LocalDiskDriver', () => {
  let dir: string;
  let driver: LocalDiskDriver;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-disk-'));
    driver = new LocalDiskDriver(dir);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores a stream under a new key and reads it back', async () => {
    const stored = await driver.put(Readable.from([Buffer.from('hello '), Buffer.from('world')]), meta);
    expect(stored).toEqual({ key: expect.stringMatching(/^[0-9a-f]{2}\/[0-9a-f-]{36}$/), size: 11 });
    expect((await buffer(await driver.get(stored.key))).toString()).toBe('hello world');
    expect(files(dir)).toEqual([stored.key]);
  });

  it('keeps nothing when the stream fails half-way', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1024));
        this.destroy(new Error('too large'));
      },
    });
    await expect(driver.put(failing, meta)).rejects.toThrow('too large');
    expect(files(dir)).toEqual([]);
  });

  it('deletes, and says not found afterwards; deleting twice is fine', async () => {
    const { key } = await driver.put(Readable.from([Buffer.from('x')]), meta);
    await driver.delete(key);
    await driver.delete(key);
    await expect(driver.get(key)).rejects.toBeInstanceOf(StorageNotFoundError);
  });

  it('refuses keys that could reach outside its directory', async () => {
    await expect(driver.get('../../etc/passwd')).rejects.toBeInstanceOf(StorageNotFoundError);
    await expect(driver.delete('../x')).rejects.toBeInstanceOf(StorageNotFoundError);
  });
});
