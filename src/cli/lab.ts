import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { L3haError } from '../errors.js';
import { labDown, labFromDir, labUp, removeLab } from '../lab/lab.js';
import { MAX_LAB_ROUTERS } from '../lab/plan.js';
import { roles } from '../lab/roles.js';
import { onInterrupt } from '../system/interrupt.js';
import { ExecaRunner } from '../system/runner.js';

// `l3ha lab up|down|status`: the built-in two-node lab on this machine.

export const RUN_ID = /^[a-z][a-z0-9]{2,11}$/;

// A run id from the option, or a random one; every lab namespace starts with it.
export function labRunId(given: string | undefined): string {
  if (given === undefined) return `l3lab${randomBytes(2).toString('hex')}`;
  if (!RUN_ID.test(given))
    throw new L3haError('L3HA_BAD_ARGUMENT', 'must match [a-z][a-z0-9]{2,11}', {
      field: '--run-id',
      value: given,
    });
  return given;
}

export const LAB_PROFILES = ['fast', 'standard', 'neutron'];

// The router count and profile of a lab, validated (exit 2 on anything else).
export function labSize(routers: string, profile: string): number {
  const n = Number(routers);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LAB_ROUTERS) {
    throw new L3haError('L3HA_BAD_ARGUMENT', `must be a whole number 1..${MAX_LAB_ROUTERS}`, {
      field: '--routers',
      value: routers,
    });
  }
  if (!LAB_PROFILES.includes(profile)) {
    throw new L3haError('L3HA_BAD_ARGUMENT', `must be one of ${LAB_PROFILES.join(', ')}`, {
      field: '--profile',
      value: profile,
    });
  }
  return n;
}

export async function runLabUp(o: {
  routers: string;
  profile: string;
  dir: string;
  runId?: string;
}): Promise<number> {
  const n = labSize(o.routers, o.profile);
  if (existsSync(o.dir)) {
    throw new L3haError('L3HA_BAD_ARGUMENT', 'a lab is already up there; run `l3ha lab down` first', {
      field: '--dir',
      value: o.dir,
    });
  }
  const runner = new ExecaRunner();
  const runId = labRunId(o.runId);
  const started = Date.now();
  const progress = n > 5 ? (m: string) => process.stderr.write(`lab: ${m}\n`) : undefined;
  const off = onInterrupt(`lab ${runId}`, () => removeLab(new ExecaRunner(), runId, o.dir));
  try {
    const { plan, roles: r } = await labUp(runner, {
      runId,
      dir: o.dir,
      routers: n,
      profile: o.profile,
      ...(progress ? { onProgress: progress } : {}),
    });
    const onA = r.filter((x) => x.masters[0] === 'a').length;
    process.stdout.write(
      `lab ${plan.runId} up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${n} router(s), profile ${o.profile}, ` +
        `MASTER on a: ${onA}, on b: ${n - onA}\nconfigs: ${plan.nodes.map((x) => x.config).join(' ')}\n`,
    );
    return 0;
  } catch (err) {
    // labUp removed everything it started; say so in one line (issue 13, item 10).
    await removeLab(runner, runId, o.dir).catch(() => undefined);
    throw labFailed(`lab up of ${n} router(s)`, err, 'everything it started was removed');
  } finally {
    off();
  }
}

// A failure of a lab, drill or bench as one line and exit 1; input errors stay as they are.
export function labFailed(what: string, err: unknown, after: string): L3haError {
  if (err instanceof L3haError && err.exitCode === 2) return err;
  return new L3haError(
    'L3HA_LAB_FAILED',
    `${what} failed: ${(err as Error)?.message ?? String(err)}; ${after}`,
    {
      cause: err,
    },
  );
}

export async function runLabDown(o: { dir: string }): Promise<number> {
  if (!existsSync(o.dir)) {
    process.stdout.write('no lab is up\n');
    return 0;
  }
  await labDown(new ExecaRunner(), labFromDir(o.dir));
  process.stdout.write('lab down: namespaces, agents, keepalived and files removed\n');
  return 0;
}

export async function runLabStatus(o: { dir: string; json?: boolean }): Promise<number> {
  if (!existsSync(o.dir)) {
    process.stdout.write('no lab is up\n');
    return 1;
  }
  const plan = labFromDir(o.dir);
  const r = await roles(new ExecaRunner(), plan);
  if (o.json) process.stdout.write(`${JSON.stringify({ runId: plan.runId, routers: r }, null, 2)}\n`);
  else for (const x of r) process.stdout.write(`${x.id}  MASTER on: ${x.masters.join(',') || '-'}\n`);
  return r.every((x) => x.masters.length === 1) ? 0 : 1;
}
