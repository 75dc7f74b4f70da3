import { timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AgentConfig } from '../config/schema-agent.js';
import { L3haError } from '../errors.js';
import type { Role } from '../observe/role.js';
import { getJson, listenHttp } from '../system/http-listen.js';
import type { Logger } from '../system/logger.js';
import { diffSplit, splitRouters } from '../transitions/split-brain.js';

// Split-brain detection. Each agent serves its routers' roles to its peer (token
// required) and polls the peer's. A router MASTER on both sides is SPLIT; when the split
// heals, the node that stayed MASTER re-announces with a GARP burst (keepalived #166).

type PeerConfig = NonNullable<AgentConfig['peerLink']>;

// Reads the shared token, refusing a file anyone but root could read or write.
export function readToken(file: string): string {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(file);
  } catch (err) {
    throw new L3haError('L3HA_FILE_UNREADABLE', `cannot read token: ${(err as Error).message}`, {
      file,
      field: 'peerLink.tokenFile',
    });
  }
  if (!st.isFile() || (st.mode & 0o077) !== 0 || st.uid !== 0) {
    throw new L3haError('L3HA_INSECURE_TOKEN_FILE', 'token file must be root-owned with mode 0600', {
      file,
      field: 'peerLink.tokenFile',
      value: `mode ${(st.mode & 0o777).toString(8)} uid ${st.uid}`,
    });
  }
  const token = readFileSync(file, 'utf8').trim();
  if (token.length < 16)
    throw new L3haError('L3HA_INVALID_VALUE', 'token must be at least 16 characters', {
      file,
      field: 'peerLink.tokenFile',
    });
  return token;
}

export interface PeerLinkDeps {
  readonly node: string;
  readonly roles: () => Record<string, Role>;
  readonly onSplit: (ids: string[]) => void;
  readonly onHeal: (ids: string[]) => void;
  readonly log: Logger;
}

export class PeerLink {
  private server: Server | undefined;
  private timer: NodeJS.Timeout | undefined;
  private split = new Set<string>();
  private peerUp: boolean | undefined;
  private readonly token: string;

  constructor(
    private readonly cfg: PeerConfig,
    private readonly deps: PeerLinkDeps,
  ) {
    this.token = readToken(cfg.tokenFile);
  }

  splitIds(): ReadonlySet<string> {
    return this.split;
  }

  async start(): Promise<void> {
    this.server = await listenHttp(this.cfg.listen, async (req, url) => {
      if (!this.authorized(req.headers.authorization))
        return { status: 401, type: 'application/json', body: '{"error":"token required"}' };
      if (url.pathname !== '/roles')
        return { status: 404, type: 'application/json', body: '{"error":"not found"}' };
      return {
        status: 200,
        type: 'application/json',
        body: JSON.stringify({ node: this.deps.node, roles: this.deps.roles() }),
      };
    });
    this.timer = setInterval(() => void this.poll(), this.cfg.intervalSeconds * 1000);
  }

  private authorized(header: string | undefined): boolean {
    const want = Buffer.from(`Bearer ${this.token}`);
    const got = Buffer.from(header ?? '');
    return got.length === want.length && timingSafeEqual(got, want);
  }

  async poll(): Promise<void> {
    let peer: Record<string, string>;
    try {
      const r = (await getJson(
        this.cfg.peer,
        '/roles',
        this.token,
        Math.max(200, this.cfg.intervalSeconds * 800),
      )) as { roles?: Record<string, string> };
      peer = r.roles ?? {};
      if (this.peerUp !== true) this.deps.log.info({ peer: this.cfg.peer }, 'peer link up');
      this.peerUp = true;
    } catch (err) {
      if (this.peerUp !== false)
        this.deps.log.warn({ peer: this.cfg.peer, err: (err as Error).message }, 'peer link down');
      this.peerUp = false;
      return;
    }
    const now = splitRouters(this.deps.roles(), peer);
    const change = diffSplit(this.split, now);
    this.split = new Set(now);
    if (change.started.length > 0) this.deps.onSplit(change.started);
    if (change.healed.length > 0) this.deps.onHeal(change.healed);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
