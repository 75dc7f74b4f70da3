import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nudgeAgent } from '../system/control-nudge.js';
import { appendJournal } from '../system/journal-file.js';
import { formatEntry, HOOK_JOURNAL_MAX_BYTES, REFUSED_LOG_MAX_BYTES } from '../transitions/journal.js';
import { parseNotifyArgs } from '../transitions/notify-args.js';

// `l3ha notify`: keepalived's hook. It is only a hint (lesson 3): journal it, nudge the
// agent to re-observe the kernel, and exit. It never acts on the state it was told.
// Loaded without commander, zod or pino so it starts in about the time of `node -e 0`.

export const NUDGE_TIMEOUT_MS = 500;

export async function runNotify(argv: readonly string[]): Promise<number> {
  const p = parseNotifyArgs(argv);
  if (!p.ok) return refuse(argv, `${p.field}: ${p.reason} (got ${JSON.stringify(p.value)})`);
  const { stateDir, runDir, router, state, priority } = p.args;
  const dir = join(stateDir, 'routers', router);
  if (!existsSync(dir)) return refuse(argv, `instance: no router ${router} under ${stateDir}`);
  const entry = {
    time: new Date().toISOString(),
    event: 'hook' as const,
    router,
    to: state,
    source: 'hook' as const,
    priority,
  };
  // Hooks only append; the agent alone rotates, so two writers never rotate at once. The
  // journal is a record, not the hint: a journal that cannot be written does not stop the nudge.
  const journal = join(dir, 'transitions.jsonl');
  try {
    if (appendJournal(journal, formatEntry(entry), { stopAt: HOOK_JOURNAL_MAX_BYTES }) === 'full')
      process.stderr.write(
        `l3ha notify: ${journal} is over ${HOOK_JOURNAL_MAX_BYTES} bytes; not journaled\n`,
      );
  } catch (err) {
    process.stderr.write(`l3ha notify: not journaled: ${(err as Error).message} (${journal})\n`);
  }
  // When the agent is down or busy this fails quietly: it reconciles from kernel state when it returns.
  await nudgeAgent(join(runDir, 'agent.sock'), `/nudge?router=${router}&state=${state}`, NUDGE_TIMEOUT_MS);
  return 0;
}

// A refusal goes to stderr and, when the state dir given is itself valid and exists, to
// its notify-refused.log: keepalived discards hook output, so operators look there.
function refuse(argv: readonly string[], why: string): number {
  const line = `l3ha notify: refused: ${why} [L3HA_BAD_ARGUMENT]`;
  process.stderr.write(`${line}\n`);
  const stateDir = argv[0] === '--state-dir' ? argv[1] : undefined;
  if (
    stateDir &&
    /^\/[A-Za-z0-9_./-]{0,200}$/.test(stateDir) &&
    !stateDir.split('/').includes('..') &&
    existsSync(stateDir)
  ) {
    try {
      appendJournal(join(stateDir, 'notify-refused.log'), `${new Date().toISOString()} ${line}\n`, {
        rotateAt: REFUSED_LOG_MAX_BYTES,
      });
    } catch {
      // nowhere safe to log (a symlink or fifo in place is refused, not followed or waited on)
    }
  }
  return 2;
}
