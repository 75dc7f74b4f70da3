import { createConnection, createServer, type Socket } from 'node:net';

// A TCP stream probe, run inside a namespace with `ip netns exec`:
//   serve PORT                      echo every byte back
//   stream HOST:PORT[,...] MS       send a line every MS ms on each connection; on SIGTERM
//                                   print one JSON line per connection and exit
// A connection "survives" when it is never reset or closed during the drill.

const [mode, a, b] = process.argv.slice(2);

interface Stall {
  maxStallMs: number;
  stallFrom: number | undefined;
  stallTo: number | undefined;
  lastEcho: number;
}
// The longest stall so far and its span: from the echo before it to now.
function stalled(f: Stall, now: number): void {
  if (now - f.lastEcho <= f.maxStallMs) return;
  f.maxStallMs = now - f.lastEcho;
  f.stallFrom = f.lastEcho;
  f.stallTo = now;
}

if (mode === 'serve') {
  createServer((s) => {
    s.on('data', (d) => s.write(d));
    s.on('error', () => s.destroy());
  }).listen(Number(a), () => process.stdout.write('ready\n'));
} else if (mode === 'stream') {
  const interval = Number(b);
  const flows = (a ?? '').split(',').map((target) => {
    const [host, port] = target.split(':');
    const f = {
      target,
      connected: false,
      survived: true,
      sent: 0,
      echoed: 0,
      maxStallMs: 0,
      stallFrom: undefined as number | undefined,
      stallTo: undefined as number | undefined,
      lastEcho: 0,
      error: '',
    };
    const sock: Socket = createConnection({ host: host as string, port: Number(port) });
    sock.setNoDelay(true);
    sock.on('connect', () => {
      f.connected = true;
      f.lastEcho = Date.now();
    });
    sock.on('data', (d) => {
      const now = Date.now();
      f.echoed += d.toString().split('\n').length - 1;
      stalled(f, now);
      f.lastEcho = now;
    });
    sock.on('error', (err) => {
      f.survived = false;
      f.error = err.message;
    });
    sock.on('close', () => {
      f.survived = false;
    });
    const t = setInterval(() => {
      if (f.connected && f.survived) {
        sock.write(`${f.sent++}\n`);
      }
    }, interval);
    return { f, sock, t };
  });
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    const now = Date.now();
    for (const { f, sock, t } of flows) {
      clearInterval(t);
      sock.removeAllListeners('close');
      if (f.connected && f.survived) stalled(f, now);
      const { lastEcho: _l, ...out } = f;
      process.stdout.write(`${JSON.stringify(out)}\n`);
      sock.destroy();
    }
    process.exit(0);
  });
} else {
  process.stderr.write('usage: tcp-stream serve PORT | stream HOST:PORT[,...] INTERVAL_MS\n');
  process.exit(2);
}
