import { profileOf } from '../config/derive.js';
import type { AgentConfig } from '../config/schema-agent.js';
import type { RouterSpec } from '../config/schema-router.js';
import { renderKeepalived } from './keepalived.js';
import { renderNft } from './nft.js';

// Both rendered files of one router on this node.
export interface Rendered {
  readonly keepalivedConf: string;
  readonly natNft: string;
}

export function renderRouter(agent: AgentConfig, router: RouterSpec, notify: readonly string[]): Rendered {
  const profile = profileOf(agent, router);
  return {
    keepalivedConf: renderKeepalived({ agent, router, profile, notify }),
    natNft: renderNft(router),
  };
}
