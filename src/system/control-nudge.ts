import { createConnection } from 'node:net';

// The notify hook's one request to the agent, written straight onto the unix socket:
// node:http costs more to load than the rest of the hook. Resolves true on any answer,
// false on no agent, an error or the timeout. Never throws.
export function nudgeAgent(socketPath: string, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection(socketPath);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('connect', () => sock.write(`POST ${path} HTTP/1.0\r\nHost: agent\r\nContent-Length: 0\r\n\r\n`));
    sock.on('data', () => done(true));
    sock.on('error', () => done(false));
  });
}
