import { createServer, type IncomingMessage, type Server } from 'node:http';

// A small HTTP listener on host:port (metrics, peer link). Handlers answer text or JSON.
export type HttpHandler = (
  req: IncomingMessage,
  url: URL,
) => Promise<{ status: number; type: string; body: string }>;

export async function listenHttp(hostPort: string, handler: HttpHandler): Promise<Server> {
  const i = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, i);
  const port = Number(hostPort.slice(i + 1));
  const server = createServer((req, res) => {
    handler(req, new URL(req.url ?? '/', 'http://l3ha'))
      .then((r) => {
        res.writeHead(r.status, { 'content-type': r.type });
        res.end(r.body);
      })
      .catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

// The largest peer answer read: a /roles document of 4,096 routers is about 100 KiB.
export const MAX_JSON_BYTES = 1024 * 1024;

// GET a JSON document with a bearer token; rejects on timeout, a non-200 answer, a redirect
// (never followed: the token would go wherever it points) and a body past maxBytes, which
// is read as a stream and abandoned there, so a peer streaming 300 MB costs 1 MiB.
export async function getJson(
  hostPort: string,
  path: string,
  token: string,
  timeoutMs: number,
  maxBytes = MAX_JSON_BYTES,
): Promise<unknown> {
  const abort = new AbortController();
  const res = await fetch(`http://${hostPort}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    redirect: 'manual',
    signal: AbortSignal.any([abort.signal, AbortSignal.timeout(timeoutMs)]),
  });
  try {
    if (res.status >= 300 && res.status < 400)
      throw new Error(`peer answered ${res.status}: redirects are refused`);
    if (res.status !== 200) throw new Error(`peer answered ${res.status}`);
    if (Number(res.headers.get('content-length') ?? 0) > maxBytes) throw new Error(tooLarge(maxBytes));
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body ?? []) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new Error(tooLarge(maxBytes));
      chunks.push(chunk);
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } finally {
    // Drops the connection if the body was not read to its end.
    abort.abort();
  }
}

const tooLarge = (maxBytes: number) => `peer answer is larger than ${maxBytes} bytes`;
