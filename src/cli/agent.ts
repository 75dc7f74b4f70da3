import { Agent } from '../agent/agent.js';
import { loadAgentConfig } from '../config/load.js';
import { lockAgent } from '../system/agent-lock.js';
import { createLogger } from '../system/logger.js';
import { ExecaRunner } from '../system/runner.js';
import { makeOwnDir } from '../system/sweep.js';
import { notifyCommand } from './context.js';

// `l3ha agent`: runs in the foreground until SIGTERM/SIGINT. On stop it leaves keepalived
// and the data plane running; `l3ha failover --all` hands routers over first if needed.
export async function runAgent(opts: { config: string; logPretty?: boolean }): Promise<number> {
  const agent = loadAgentConfig(opts.config);
  const log = createLogger({ pretty: opts.logPretty ?? false });
  makeOwnDir(agent.runDir);
  const lock = await lockAgent(agent.runDir);
  const a = new Agent({ agent, runner: new ExecaRunner(), log, notify: notifyCommand(opts.config, agent) });
  await a.start();
  await new Promise<void>((resolve) => {
    const stop = (sig: string) => {
      log.info({ signal: sig }, 'stopping agent; keepalived and the data plane stay up');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await a.stop();
  lock.release();
  return 0;
}
