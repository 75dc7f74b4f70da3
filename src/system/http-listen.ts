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

// GET a JSON document with a bearer token; rejects on timeout or a non-200 answer.
export async function getJson(
  hostPort: string,
  path: string,
  token: string,
  timeoutMs: number,
): Promise<unknown> {
  const res = await fetch(`http://${hostPort}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (res.status !== 200) throw new Error(`peer answered ${res.status}`);
  return res.json();
}
