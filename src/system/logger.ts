import pino, { type Logger } from 'pino';

// JSON logs on stdout for systemd/journald; --log-pretty for people.
export function createLogger(opts: { pretty?: boolean; level?: string } = {}): Logger {
  const level = opts.level ?? process.env.L3HA_LOG_LEVEL ?? 'info';
  if (opts.pretty) {
    return pino({
      level,
      transport: { target: 'pino-pretty', options: { colorize: false, destination: 1 } },
    });
  }
  return pino({ level, base: { pid: process.pid } }, pino.destination({ dest: 1, sync: true }));
}

export type { Logger };
