// The one catalogue of l3ha error codes. Tests assert on codes, never on text.
// Each entry says what went wrong and how an operator fixes it (README lists them).

export const CATALOGUE = {
  L3HA_FILE_UNREADABLE: { exit: 2, fix: 'Check that the path exists and is readable by root.' },
  L3HA_FILE_TOO_LARGE: { exit: 2, fix: 'A config file is at most 1 MiB; split or trim it.' },
  L3HA_FILE_EMPTY: { exit: 2, fix: 'The file holds no document; write the config or remove the file.' },
  L3HA_SYNTAX: { exit: 2, fix: 'Fix the YAML/JSON syntax at the position named in the message.' },
  L3HA_UNKNOWN_KEY: { exit: 2, fix: 'Remove the key or correct its spelling; unknown keys are rejected.' },
  L3HA_MISSING_FIELD: { exit: 2, fix: 'Add the required field.' },
  L3HA_INVALID_VALUE: { exit: 2, fix: 'Use a value of the documented type and range.' },
  L3HA_BAD_ID: { exit: 2, fix: 'Ids match [a-z0-9][a-z0-9-]{0,10}; names [a-z0-9-]{1,16}.' },
  L3HA_BAD_ADDRESS: {
    exit: 2,
    fix: 'Write a dotted-quad IPv4 address, or address/prefix where a CIDR is asked for.',
  },
  L3HA_DUPLICATE_VRID: { exit: 2, fix: 'Give every router on the HA segment its own vrid (1..255).' },
  L3HA_DUPLICATE_ROUTER_ID: { exit: 2, fix: 'Router ids must be unique across the routers directory.' },
  L3HA_DUPLICATE_NAME: { exit: 2, fix: 'Give each internal port of a router its own name.' },
  L3HA_DUPLICATE_NODE_INDEX: { exit: 2, fix: 'nodeIndex must differ between this node and each peer.' },
  L3HA_FLOATING_IP_REUSED: { exit: 2, fix: 'A floating IP belongs to exactly one router and one fixed IP.' },
  L3HA_ADDRESS_CONFLICT: {
    exit: 2,
    fix: 'A floating IP must not also be a gateway or internal address, and no address may repeat.',
  },
  L3HA_FIXED_IP_OUTSIDE_SUBNET: {
    exit: 2,
    fix: "Each fixed IP must lie inside one of its router's internal subnets.",
  },
  L3HA_NEXTHOP_UNREACHABLE: {
    exit: 2,
    fix: 'A route or default route next hop must lie in a connected subnet.',
  },
  L3HA_UNKNOWN_PROFILE: { exit: 2, fix: 'Name a profile defined under profiles: in the agent config.' },
  L3HA_BAD_ADVERT_INT: {
    exit: 2,
    fix: 'VRRPv2: whole seconds 1..255. VRRPv3: 0.01..40.95 s in steps of 0.01.',
  },
  L3HA_IFNAME_TOO_LONG: {
    exit: 2,
    fix: 'Shorten the port name: derived interface names must fit in 15 characters.',
  },
  L3HA_HA_NETWORK_TOO_SMALL: {
    exit: 2,
    fix: 'haNetwork needs room for 256 x 8 addresses: a prefix of /21 or shorter.',
  },
  L3HA_INSECURE_TOKEN_FILE: {
    exit: 2,
    fix: 'The peer-link token file must be a root-owned regular file with mode 0600.',
  },
  L3HA_ROUTER_NOT_FOUND: { exit: 2, fix: 'Name a router id that exists in the routers directory.' },
  L3HA_BAD_ARGUMENT: { exit: 2, fix: 'See --help for the accepted arguments.' },
  L3HA_KEEPALIVED_REJECTED: {
    exit: 2,
    fix: 'keepalived -t refused the rendered config; the message quotes it.',
  },
  L3HA_NFT_REJECTED: { exit: 2, fix: 'nft -c refused the rendered ruleset; the message quotes it.' },
  L3HA_COMMAND_FAILED: { exit: 1, fix: 'A system command failed; its stderr is in the message.' },
  L3HA_AGENT_UNREACHABLE: { exit: 1, fix: 'Start the agent (systemctl start l3ha-agent) or check runDir.' },
  L3HA_CHECK_FAILED: { exit: 1, fix: 'A check failed; the report says which.' },
} as const;

export type ErrorCode = keyof typeof CATALOGUE;

export interface ErrorWhere {
  file?: string;
  field?: string;
  value?: unknown;
}

// An error with a catalogue code and, for config errors, the file, field and bad value.
export class L3haError extends Error {
  readonly code: ErrorCode;
  readonly file: string | undefined;
  readonly field: string | undefined;
  readonly value: unknown;
  readonly hasValue: boolean;

  constructor(code: ErrorCode, message: string, where: ErrorWhere = {}) {
    super(message);
    this.name = 'L3haError';
    this.code = code;
    this.file = where.file;
    this.field = where.field;
    this.value = where.value;
    this.hasValue = 'value' in where;
  }

  get exitCode(): number {
    return CATALOGUE[this.code].exit;
  }

  // One line: `file: field: message (got X) [CODE]`.
  format(): string {
    const parts: string[] = [];
    if (this.file) parts.push(this.file);
    if (this.field) parts.push(this.field);
    let text = this.message;
    if (this.hasValue) text += ` (got ${showValue(this.value)})`;
    parts.push(text);
    return `${parts.join(': ')} [${this.code}]`;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, file: this.file, field: this.field, value: this.value };
  }
}

// Several config problems found in one pass; `check` prints them all.
export class L3haErrors extends Error {
  readonly errors: readonly L3haError[];
  constructor(errors: readonly L3haError[]) {
    super(errors.map((e) => e.format()).join('\n'));
    this.name = 'L3haErrors';
    this.errors = errors;
  }
  get exitCode(): number {
    return Math.max(...this.errors.map((e) => e.exitCode));
  }
}

// Renders a bad value for a message: short, single-line, never the whole of a huge input.
export function showValue(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'nothing';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
