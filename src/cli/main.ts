#!/usr/bin/env node
import type { Command } from 'commander';

// The l3ha command line. Each command's module is imported only when it runs, so the
// keepalived notify hook pays for nothing it does not use.

// Where `l3ha lab` and `l3ha drill` keep a lab unless told otherwise.
const DEFAULT_LAB_DIR = '/run/l3ha-lab';

async function program(): Promise<Command> {
  const { Command, Option } = await import('commander');
  const { l3haVersion } = await import('../system/self.js');
  const p = new Command('l3ha')
    .version(l3haVersion(), '-V, --version', 'print the version')
    .description('VRRP active/standby HA for L3 router namespaces (keepalived + NAT replay + drills)')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ outputError: (str, write) => write(`l3ha: ${str.replace(/^error: /, '')}`) });

  p.command('check')
    .description(
      'validate the agent config and all routers; run keepalived -t and nft -c on the rendered output',
    )
    .requiredOption('-c, --config <file>', 'agent config', '/etc/l3ha/agent.yaml')
    .option('--no-tools', 'skip keepalived -t and nft -c')
    .option(
      '--warn-routers',
      'report router file problems as warnings; only the agent config fails (ExecStartPre)',
    )
    .action(async (o) => {
      const { runCheck } = await import('./check.js');
      process.exitCode = await runCheck({ config: o.config, tools: o.tools, warnRouters: o.warnRouters });
    });

  p.command('render')
    .description('print the rendered keepalived.conf and nft ruleset')
    .requiredOption('-c, --config <file>', 'agent config', '/etc/l3ha/agent.yaml')
    .option('-r, --router <id>', 'only this router')
    .option('--json', 'print JSON')
    .action(async (o) => {
      const { runRender } = await import('./render.js');
      process.exitCode = runRender({ config: o.config, router: o.router, json: o.json });
    });

  p.command('agent')
    .description('run the supervisor in the foreground (JSON logs on stdout, for systemd)')
    .requiredOption('-c, --config <file>', 'agent config', '/etc/l3ha/agent.yaml')
    .option('--log-pretty', 'human-readable logs')
    .action(async (o) => {
      const { runAgent } = await import('./agent.js');
      process.exitCode = await runAgent({ config: o.config, logPretty: o.logPretty });
    });

  p.command('status')
    .description("each router's observed role here, keepalived pid, addresses, NAT sync, last error")
    .requiredOption('-c, --config <file>', 'agent config', '/etc/l3ha/agent.yaml')
    .option('--json', 'print JSON')
    .option('-w, --watch', 'redraw in place until Ctrl-C')
    .option('--interval <seconds>', 'with --watch: seconds between refreshes (default 1)')
    .action(async (o) => {
      const { runStatus } = await import('./status.js');
      process.exitCode = await runStatus(o);
    });

  p.command('sweep')
    .description('remove what a crashed test or lab left: namespaces by prefix, processes by directory')
    .option('--prefix <prefix>', 'delete namespaces starting with this (and kill their processes)')
    .option('--dir <dir...>', 'kill processes whose argv names a path under this directory')
    .action(async (o) => {
      const { runSweep } = await import('./sweep.js');
      process.exitCode = await runSweep({ prefix: o.prefix, dir: o.dir });
    });

  p.command('failover')
    .description('planned handover away from this node (priority-0 stop); --all evacuates the node')
    .requiredOption('-c, --config <file>', 'agent config', '/etc/l3ha/agent.yaml')
    .argument('[routers...]', 'router ids')
    .option('--all', 'every router MASTER on this node')
    .action(async (routers, o) => {
      const { runFailover } = await import('./failover.js');
      process.exitCode = await runFailover({ config: o.config, routers, all: o.all });
    });

  p.command('notify')
    .description('the keepalived notify hook target (journal + nudge the agent); not for people')
    .usage('--state-dir DIR --run-dir DIR INSTANCE l3ha_<id> MASTER|BACKUP|FAULT|STOP|DELETED <priority>')
    .action(() => undefined);

  p.command('history')
    .description('the transitions journal of one router or all of them')
    .requiredOption('-c, --config <file>', 'agent config', '/etc/l3ha/agent.yaml')
    .argument('[router]', 'router id')
    .option('--json', 'print JSON')
    .action(async (router, o) => {
      const { runHistory } = await import('./history.js');
      process.exitCode = runHistory({ config: o.config, router, json: o.json });
    });

  p.command('drill')
    .description(
      `run a failover drill with real traffic: ${'node-loss, keepalived-crash, agent-crash, graceful, ha-partition, flap'}, or chaos (random faults from --seed for --duration, invariants checked after each)`,
    )
    .argument('<scenario>', 'which fault to inject')
    .option('--routers <n>', 'routers, when the drill brings its own lab up', '1')
    .option('--profile <name>', 'fast, standard or neutron, when the drill brings its own lab up', 'fast')
    .option('--max-downtime <ms>', 'fail when any flow is down longer')
    .option('--json', 'print the report as JSON')
    .option('--no-tcp', 'ICMP probes only')
    .option('--dir <dir>', 'lab directory (a lab already up there is used as it is)', DEFAULT_LAB_DIR)
    .option('--run-id <id>', 'name prefix of a lab the drill brings up (default: random)')
    .option('--html <file>', 'also write the report as one self-contained HTML page with timelines')
    .option('--duration <time>', 'chaos: how long to inject faults (90s, 10m, 1h)', '10m')
    .option('--seed <n>', 'chaos: the seed of the fault schedule (default: random, printed)')
    .option('--kinds <list>', 'chaos: only these fault kinds, comma-separated')
    .action(async (name, o) => {
      if (name === 'chaos') {
        const { runChaos } = await import('./chaos-main.js');
        process.exitCode = await runChaos(o);
        return;
      }
      const { runDrillCommand } = await import('./drill.js');
      process.exitCode = await runDrillCommand(name, o);
    });

  const lab = p.command('lab').description('the built-in two-node lab on this machine');
  lab
    .command('up')
    .description('build the fabric, start agents a and b, wait for one MASTER per router')
    .option('--routers <n>', 'routers', '2')
    .option('--profile <name>', 'fast, standard or neutron (Neutron L3 HA defaults)', 'fast')
    .option('--dir <dir>', 'lab directory', DEFAULT_LAB_DIR)
    .option('--run-id <id>', 'prefix of every namespace the lab creates (default: random)')
    .action(async (o) => {
      const { runLabUp } = await import('./lab.js');
      process.exitCode = await runLabUp(o);
    });
  lab
    .command('down')
    .description('stop everything the lab started and remove it')
    .option('--dir <dir>', 'lab directory', DEFAULT_LAB_DIR)
    .action(async (o) => {
      const { runLabDown } = await import('./lab.js');
      process.exitCode = await runLabDown(o);
    });
  lab
    .command('status')
    .description('which node is MASTER for each lab router')
    .option('--dir <dir>', 'lab directory', DEFAULT_LAB_DIR)
    .option('--json', 'print JSON')
    .action(async (o) => {
      const { runLabStatus } = await import('./lab.js');
      process.exitCode = await runLabStatus(o);
    });
  for (const c of lab.commands) c.exitOverride();

  p.addOption(new Option('--debug', 'print stack traces').hideHelp());
  for (const c of p.commands) c.exitOverride();
  return p;
}

async function main(argv: string[]): Promise<void> {
  // The keepalived hook takes a fast path that loads nothing else.
  if (argv[2] === 'notify' && argv[3] !== '--help') {
    const { runNotify } = await import('./notify.js');
    process.exitCode = await runNotify(argv.slice(3));
    return;
  }
  // A reader that stops early (`l3ha render | head`) closes the pipe: that is the reader's
  // choice, not an l3ha error, so the command ends quietly, as `cat` does.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(0);
  });
  try {
    await (await program()).parseAsync(argv);
  } catch (err) {
    const { reportFailure } = await import('./output.js');
    process.exitCode = reportFailure(err);
  }
}

await main(process.argv);
