import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { getJson, listenHttp, MAX_JSON_BYTES } from '../../src/system/http-listen.js';

// getJson against real HTTP servers on 127.0.0.1: a peer that streams without end, one
// that redirects, one that lies about its length.

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      s.closeAllConnections();
      return new Promise<void>((r) => s.close(() => r()));
    }),
  );
});

async function serve(handler: (res: ServerResponse, path: string) => void): Promise<string> {
  const s = createServer((req, res) => handler(res, req.url ?? '/'));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return `127.0.0.1:${(s.address() as AddressInfo).port}`;
}

describe('getJson', () => {
  it('reads a JSON answer from a listener', async () => {
    const s = await listenHttp('127.0.0.1:0', async () => ({
      status: 200,
      type: 'application/json',
      body: '{"a":1}',
    }));
    servers.push(s);
    const at = `127.0.0.1:${(s.address() as AddressInfo).port}`;
    expect(await getJson(at, '/roles', 't', 5000)).toEqual({ a: 1 });
  });

  it('abandons a peer that streams 300 MB after about 1 MiB', async () => {
    let written = 0;
    let closed = false;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const at = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      res.on('close', () => {
        closed = true;
      });
      const pump = () => {
        while (!closed && written < 300 * 2 ** 20) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const rss = process.memoryUsage().rss;
    await expect(getJson(at, '/roles', 't', 30_000)).rejects.toThrow(/larger than 1048576 bytes/);
    await expect.poll(() => closed).toBe(true);
    // What the kernel buffered beyond the cap, not 300 MB.
    expect(written).toBeLessThan(64 * 2 ** 20);
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 2 ** 20);
  });

  it('refuses a body announced larger than the cap without reading it', async () => {
    const at = await serve((res) => {
      res.writeHead(200, { 'content-length': String(MAX_JSON_BYTES + 1) });
      res.write('[');
    });
    await expect(getJson(at, '/roles', 't', 5000)).rejects.toThrow(/larger than/);
  });

  it('accepts an answer of exactly the cap', async () => {
    const body = `"${'x'.repeat(MAX_JSON_BYTES - 2)}"`;
    const at = await serve((res) => res.end(body));
    expect(((await getJson(at, '/roles', 't', 5000)) as string).length).toBe(MAX_JSON_BYTES - 2);
  });

  it.each([301, 302, 307, 308])('refuses a %i redirect and never sends the token on', async (status) => {
    let hits = 0;
    const target = await serve((res) => {
      hits++;
      res.end('{"roles":{}}');
    });
    const at = await serve((res) => {
      res.writeHead(status, { location: `http://${target}/roles` });
      res.end();
    });
    await expect(getJson(at, '/roles', 't', 5000)).rejects.toThrow(
      `peer answered ${status}: redirects are refused`,
    );
    expect(hits).toBe(0);
  });

  it('rejects a non-200 answer', async () => {
    const at = await serve((res) => {
      res.writeHead(401);
      res.end();
    });
    await expect(getJson(at, '/roles', 't', 5000)).rejects.toThrow('peer answered 401');
  });
});
