import { randomBytes } from 'node:crypto';
import { L3haError } from '../errors.js';
import { type CommandRunner, inNamespace } from '../system/runner.js';
import { withScratchDir } from '../system/tmp.js';

// Runs the real `keepalived -t` and `nft -c` on rendered output inside a scratch
// namespace that holds veth stand-ins for the router interfaces, then removes it.
// keepalived -t checks interfaces in the namespace it runs in, so the host's own
// interfaces never make a config pass or fail.

export const SCRATCH_PREFIX = 'l3ha-chk-';

export interface CheckItem {
  readonly file: string;
  readonly keepalivedConf: string;
  readonly natNft: string;
  readonly interfaces: readonly string[];
}

export interface CheckTools {
  readonly keepalived?: string | undefined;
  readonly nft?: string | undefined;
}

export async function syntaxCheck(
  runner: CommandRunner,
  items: readonly CheckItem[],
  tools: CheckTools,
): Promise<L3haError[]> {
  if (items.length === 0 || (!tools.keepalived && !tools.nft)) return [];
  const ns = `${SCRATCH_PREFIX}${process.pid}-${randomBytes(3).toString('hex')}`;
  await runner.run('ip', ['netns', 'add', ns]);
  try {
    const names = [...new Set(items.flatMap((i) => i.interfaces))];
    // Stand-in peers are named c0, c1, ...: never a name l3ha derives (ha, gw, qr-*).
    const batch = names.map((n, i) => `link add ${n} type veth peer name c${i}`).join('\n');
    if (batch) await runner.run('ip', ['-n', ns, '-batch', '-'], { input: `${batch}\n` });
    return await withScratchDir(async (_dir, write) => {
      const errors: L3haError[] = [];
      for (const [i, item] of items.entries()) {
        const checks = [
          {
            bin: tools.keepalived,
            name: `keepalived-${i}.conf`,
            text: item.keepalivedConf,
            flag: '-t',
            code: 'L3HA_KEEPALIVED_REJECTED',
          },
          { bin: tools.nft, name: `nat-${i}.nft`, text: item.natNft, flag: '-c', code: 'L3HA_NFT_REJECTED' },
        ] as const;
        for (const c of checks) {
          if (!c.bin) continue;
          const path = await write(c.name, c.text);
          const r = await inNamespace(runner, ns, c.bin, [c.flag, '-f', path], { check: false });
          if (r.exitCode === 0) continue;
          const what = `${c.name.startsWith('nat') ? 'nft' : 'keepalived'} ${c.flag}`;
          errors.push(
            new L3haError(c.code, `${what} exited ${r.exitCode}: ${summarise(r.stderr, path)}`, {
              file: item.file,
            }),
          );
        }
      }
      return errors;
    });
  } finally {
    await runner.run('ip', ['netns', 'del', ns], { check: false });
  }
}

// The distinct lines of a tool's complaint, with the scratch path made readable.
function summarise(stderr: string, path: string): string {
  const lines = [...new Set(stderr.split('\n').map((l) => l.replaceAll(path, 'rendered').trim()))].filter(
    Boolean,
  );
  return lines.slice(0, 5).join(' | ') || 'no output';
}
