import { timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AgentConfig } from '../config/schema-agent.js';
import { readToken } from '../config/token-file.js';
import type { Role } from '../plan/role.js';
import { getJson, listenHttp } from '../system/http-listen.js';
import type { Logger } from '../system/logger.js';
import { diffSplit, splitRouters } from '../transitions/split-brain.js';

// Split-brain detection. Each agent serves its routers' roles to its peer (token
// required) and polls the peer's. A router MASTER on both sides is SPLIT; when the split
// heals, the node that stayed MASTER re-announces with a GARP burst (keepalived #166).

type PeerConfig = NonNullable<AgentConfig['peerLink']>;

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

  isUp(): boolean {
    return this.peerUp === true;
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
