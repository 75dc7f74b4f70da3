import { L3haError } from '../errors.js';
import { parseCidr, sizeOf } from './addresses.js';
import { HA_MIN_SIZE } from './derive.js';
import type { AgentConfig } from './schema-agent.js';

// Agent-level checks that zod cannot express field by field.
export function checkAgent(file: string, agent: AgentConfig): L3haError[] {
  const errors: L3haError[] = [];
  const ha = parseCidr(agent.haNetwork);
  if (sizeOf(ha.prefix) < HA_MIN_SIZE) {
    errors.push(
      new L3haError('L3HA_HA_NETWORK_TOO_SMALL', `needs at least ${HA_MIN_SIZE} addresses (/21 or wider)`, {
        file,
        field: 'haNetwork',
        value: agent.haNetwork,
      }),
    );
  }
  const seen = new Set([agent.nodeIndex]);
  agent.peers.forEach((p, i) => {
    if (seen.has(p.nodeIndex)) {
      errors.push(
        new L3haError('L3HA_DUPLICATE_NODE_INDEX', 'nodeIndex is already used in this pair', {
          file,
          field: `peers[${i}].nodeIndex`,
          value: p.nodeIndex,
        }),
      );
    }
    seen.add(p.nodeIndex);
  });
  if (agent.vrrp.transport === 'unicast' && agent.peers.length === 0) {
    errors.push(
      new L3haError('L3HA_MISSING_FIELD', 'unicast VRRP needs at least one peer', {
        file,
        field: 'peers',
        value: [],
      }),
    );
  }
  if (!agent.profiles[agent.defaultProfile]) {
    errors.push(
      new L3haError('L3HA_UNKNOWN_PROFILE', 'no such profile under profiles', {
        file,
        field: 'defaultProfile',
        value: agent.defaultProfile,
      }),
    );
  }
  return errors;
}

// Checks inside one router: ports, addresses, fixed IPs, next hops, profile, names.
