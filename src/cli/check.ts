import { type CheckItem, syntaxCheck } from '../apply/syntax-check.js';
import { portsOf } from '../config/derive.js';
import { tokenFileErrors } from '../config/token-file.js';
import { L3haErrors } from '../errors.js';
import { neighboursNeeded, neighbourWarning } from '../plan/neighbours.js';
import { renderRouter } from '../render/router.js';
import { findBinary } from '../system/binaries.js';
import { ExecaRunner } from '../system/runner.js';
import { gcThresh3 } from '../system/sysctl.js';
import { loadAll, notifyCommand } from './context.js';

export interface CheckOptions {
  readonly config: string;
  readonly tools: boolean;
  // Router problems are printed as warnings and do not fail the check; the agent config's
  // still do. For the unit's ExecStartPre: the agent runs on with a bad router file (that
  // router keeps its last good state), so one bad file must not keep the agent from starting.
  readonly warnRouters?: boolean;
}

// Validates the agent config and every router; with the tools present, also runs the
// real keepalived -t and nft -c on the rendered output. Exit 0 valid, 2 invalid.
export async function runCheck(opts: CheckOptions): Promise<number> {
  const loaded = loadAll(opts.config, { dirErrors: opts.warnRouters ? 'collect' : 'throw' });
  const { agent } = loaded;
  // The token file by the agent's own rules: a file check passes is one the agent reads.
  const errors = [...tokenFileErrors(agent.peerLink), ...loaded.errors];
  const all = [...loaded.routers, ...loaded.unsupported];
  const notify = notifyCommand(opts.config, agent);
  const items: CheckItem[] = all.map((r) => {
    const rendered = renderRouter(agent, r.spec, notify);
    return { file: r.file, ...rendered, interfaces: portsOf(agent, r.spec).map((p) => p.inside) };
  });
  let toolNote = 'keepalived -t and nft -c skipped (--no-tools)';
  if (opts.tools) {
    const keepalived = await findBinary(agent.keepalivedBinary);
    const nft = await findBinary('nft');
    const ip = await findBinary('ip');
    if (ip && (keepalived || nft)) {
      errors.push(...(await syntaxCheck(new ExecaRunner(), items, { keepalived, nft })));
      toolNote = `${keepalived ? 'keepalived -t' : 'keepalived -t skipped (not installed)'}, ${nft ? 'nft -c' : 'nft -c skipped (not installed)'}`;
    } else {
      toolNote = 'keepalived -t and nft -c skipped (not installed)';
    }
  }
  if (errors.length > 0 && !opts.warnRouters) throw new L3haErrors(errors);
  for (const e of errors) process.stderr.write(`warning: ${e.format()}\n`);
  const skipped = loaded.unsupported.length ? `, ${loaded.unsupported.length} not served by this pair` : '';
  const warning = neighbourWarning(neighboursNeeded(loaded.routers.map((r) => r.spec)), gcThresh3());
  if (warning) process.stderr.write(`warning: ${warning}\n`);
  const warned = errors.length ? `, ${errors.length} router problem(s) reported above` : '';
  process.stdout.write(`ok: ${opts.config}: ${all.length} router(s) valid${skipped}${warned}; ${toolNote}\n`);
  return 0;
}
