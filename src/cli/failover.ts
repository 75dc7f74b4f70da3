import { controlSocket } from '../config/paths.js';
import { L3haError } from '../errors.js';
import { callControl } from '../system/control-client.js';
import { loadAll } from './context.js';

// `l3ha failover (ROUTER... | --all)`: hand routers over to the peer before maintenance.
// The agent does it (it must be running, so keepalived comes back as BACKUP afterwards).
export async function runFailover(opts: {
  config: string;
  routers: string[];
  all?: boolean;
}): Promise<number> {
  const loaded = loadAll(opts.config);
  if (!opts.all && opts.routers.length === 0) {
    throw new L3haError('L3HA_BAD_ARGUMENT', 'name routers or give --all', { field: 'ROUTER' });
  }
  const known = new Set(loaded.routers.map((r) => r.spec.id));
  for (const id of opts.routers) {
    if (!known.has(id))
      throw new L3haError('L3HA_ROUTER_NOT_FOUND', 'no such router served by this node', {
        field: 'ROUTER',
        value: id,
      });
  }
  const query = opts.all ? 'all=1' : opts.routers.map((r) => `router=${encodeURIComponent(r)}`).join('&');
  let answer: { results: { router: string; result: string }[] };
  try {
    answer = (await callControl(
      controlSocket(loaded.agent),
      'POST',
      `/failover?${query}`,
      30_000,
    )) as typeof answer;
  } catch (err) {
    throw new L3haError(
      'L3HA_AGENT_UNREACHABLE',
      `the agent is not answering on ${controlSocket(loaded.agent)}: ${(err as Error).message}`,
    );
  }
  for (const r of answer.results) process.stdout.write(`${r.router}: ${r.result}\n`);
  return 0;
}
