import { chmod, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { dirname } from 'node:path';
import { ensureDir } from './files.js';

// The agent's control socket: HTTP over a unix socket with mode 0600 (root only).

export type Handler = (method: string, url: URL, body: string) => Promise<{ status: number; json: unknown }>;

export async function listenControl(path: string, handler: Handler): Promise<Server> {
  await ensureDir(dirname(path), 0o755);
  await rm(path, { force: true });
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > 65536) req.destroy();
    });
    req.on('end', () => {
      handler(req.method ?? 'GET', new URL(req.url ?? '/', 'http://agent'), body)
        .then((r) => {
          res.writeHead(r.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(r.json));
        })
        .catch((err: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: String(err) }));
        });
    });
  });
  const old = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
  } finally {
    process.umask(old);
  }
  await chmod(path, 0o600);
  return server;
}
