import { createConnection, createServer } from 'node:net';

// A tiny TCP tool for lab traffic, run inside a namespace with `ip netns exec`:
//   serve PORT          answer every line with "<remote address> <line>"
//   ask HOST PORT       send one line, print the answer, exit 0 (exit 1 on failure)

const [mode, a, b] = process.argv.slice(2);

if (mode === 'serve') {
  const server = createServer((sock) => {
    sock.setEncoding('utf8');
    let buf = '';
    sock.on('data', (d: string) => {
      buf += d;
      let i = buf.indexOf('\n');
      while (i >= 0) {
        sock.write(`${sock.remoteAddress} ${buf.slice(0, i)}\n`);
        buf = buf.slice(i + 1);
        i = buf.indexOf('\n');
      }
    });
    sock.on('error', () => sock.destroy());
  });
  server.listen(Number(a), () => process.stdout.write('ready\n'));
} else if (mode === 'ask') {
  const sock = createConnection({ host: a as string, port: Number(b), timeout: 3000 });
  sock.setEncoding('utf8');
  sock.on('connect', () => sock.write('hello\n'));
  sock.on('data', (d: string) => {
    process.stdout.write(d);
    sock.end();
    process.exit(0);
  });
  sock.on('timeout', () => process.exit(1));
  sock.on('error', () => process.exit(1));
} else {
  process.stderr.write('usage: netcat serve PORT | ask HOST PORT\n');
  process.exit(2);
}
