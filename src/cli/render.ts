import { L3haError, L3haErrors } from '../errors.js';
import { renderRouter } from '../render/router.js';
import { loadAll, notifyCommand } from './context.js';

export interface RenderOptions {
  readonly config: string;
  readonly router?: string;
  readonly json?: boolean;
}

// Prints the rendered keepalived.conf and nft ruleset of one router or all of them.
export function runRender(opts: RenderOptions): number {
  const loaded = loadAll(opts.config);
  if (loaded.errors.length > 0) throw new L3haErrors(loaded.errors);
  const routers = opts.router ? loaded.routers.filter((r) => r.spec.id === opts.router) : loaded.routers;
  if (opts.router && routers.length === 0) {
    throw new L3haError('L3HA_ROUTER_NOT_FOUND', 'no such router served by this node', {
      file: loaded.agent.routersDir,
      field: '--router',
      value: opts.router,
    });
  }
  const out = routers.map((r) => ({
    id: r.spec.id,
    ...renderRouter(loaded.agent, r.spec, notifyCommand(loaded.agentFile, loaded.agent)),
  }));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  for (const r of out) {
    process.stdout.write(`# ==> ${r.id}/keepalived.conf <==\n${r.keepalivedConf}\n`);
    process.stdout.write(`# ==> ${r.id}/nat.nft <==\n${r.natNft}\n`);
  }
  return 0;
}
