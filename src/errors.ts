// The one catalogue of l3ha error codes. Tests assert on codes, never on text.
// Each entry says how the command exits, whether the agent retries it, and how an
// operator fixes it. The README's error table is checked against this catalogue.
//
// retry: false marks a terminal error: the agent's queue does not retry the router until
// its spec changes (retrying a config that keepalived refused only repeats the refusal).

interface Entry {
  readonly exit: 1 | 2;
  readonly retry: boolean;
  readonly fix: string;
}

const input = (fix: string): Entry => ({ exit: 2, retry: false, fix });

export const CATALOGUE = {
  L3HA_FILE_UNREADABLE: input('Check that the path exists and is readable by root.'),
  L3HA_FILE_TOO_LARGE: input('A config file is at most 1 MiB; split or trim it.'),
  L3HA_FILE_EMPTY: input('The file holds no document; write the config or remove the file.'),
  L3HA_NOT_REGULAR_FILE: input(
    'Router files, journals and notify-refused.log must be regular files: a symlink is refused, not followed, and so are fifos and devices. Put the file itself in place.',
  ),
  L3HA_INSECURE_FILE: input(
    'The routers directory and every router file must be owned by root and not writable by group or others: chown root, chmod go-w.',
  ),
  L3HA_SYNTAX: input(
    'Fix the YAML/JSON syntax at the position named in the message; a key may appear once per mapping.',
  ),
  L3HA_DOCUMENT_TOO_COMPLEX: input(
    'A config document nests at most 64 levels and expands at most 100 YAML aliases; write it out plainly.',
  ),
  L3HA_UNKNOWN_KEY: input('Remove the key or correct its spelling; unknown keys are rejected.'),
  L3HA_MISSING_FIELD: input('Add the required field.'),
  L3HA_INVALID_VALUE: input('Use a value of the documented type and range.'),
  L3HA_TOO_MANY: input(
    'A router holds at most 4096 floatingIps, 256 routes, 32 internal ports and 16 addresses per port or gateway: split it into several routers.',
  ),
  L3HA_BAD_ID: input(
    'Router ids match `[a-z0-9][a-z0-9-]{0,10}`, node names `[a-z0-9-]{1,16}`; port, profile and bridge names have their own patterns (see the reference above).',
  ),
  L3HA_BAD_ADDRESS: input('Write a dotted-quad IPv4 address, or address/prefix where a CIDR is asked for.'),
  L3HA_DUPLICATE_VRID: input('Give every router on the HA segment its own vrid (1..255).'),
  L3HA_DUPLICATE_ROUTER_ID: input('Router ids must be unique across the routers directory.'),
  L3HA_DUPLICATE_NAME: input('Give each internal port of a router its own name.'),
  L3HA_DUPLICATE_NODE_INDEX: input('nodeIndex must differ between this node and each peer.'),
  L3HA_FLOATING_IP_REUSED: input('A floating IP belongs to exactly one router and one fixed IP.'),
  L3HA_ADDRESS_CONFLICT: input(
    "A floating IP must not be a router address (gateway, internal, HA), the gateway subnet's network or broadcast address, or lie in the router's internal subnets; no address may repeat, nor a gateway address on one external bridge.",
  ),
  L3HA_RESERVED_ADDRESS: input(
    'Router addresses and subnets may not have prefix 0, lie in 0.0.0.0/8, 127.0.0.0/8, 224.0.0.0/4, 240.0.0.0/4 or 169.254.0.0/16, or overlap haNetwork.',
  ),
  L3HA_DUPLICATE_ROUTE: input(
    'One route per destination, and one default route: gateway.defaultRoute or a 0.0.0.0/0 route, not both.',
  ),
  L3HA_FIXED_IP_OUTSIDE_SUBNET: input("Each fixed IP must lie inside one of its router's internal subnets."),
  L3HA_NEXTHOP_UNREACHABLE: input('A route or default route next hop must lie in a connected subnet.'),
  L3HA_UNKNOWN_PROFILE: input('Name a profile defined under profiles: in the agent config.'),
  L3HA_BAD_ADVERT_INT: input('VRRPv2: whole seconds 1..255. VRRPv3: 0.01..40.95 s in steps of 0.01.'),
  L3HA_IFNAME_TOO_LONG: input('Shorten the port name: derived interface names must fit in 15 characters.'),
  L3HA_HA_NETWORK_TOO_SMALL: input(
    'haNetwork needs room for 256 x 8 addresses per HA segment: /21 or wider (a /18 holds 8 segments).',
  ),
  L3HA_INSECURE_TOKEN_FILE: input(
    'The peer-link token file must be a root-owned regular file with mode 0600 holding at least 16 characters.',
  ),
  L3HA_UNSAFE_PATH: input(
    'Paths that reach keepalived.conf or the notify command line (resolved) may not hold quotes, whitespace, backslashes or control characters; move the file or directory.',
  ),
  L3HA_ROUTER_NOT_FOUND: input('Name a router id that exists in the routers directory.'),
  L3HA_BAD_ARGUMENT: input('See --help for the accepted arguments.'),
  L3HA_KEEPALIVED_REJECTED: input(
    'keepalived -t refused the rendered config; the message quotes it. The agent keeps the old config running.',
  ),
  L3HA_NFT_REJECTED: input('nft -c refused the rendered ruleset; the message quotes it.'),
  L3HA_AGENT_RUNNING: input(
    'Another agent already runs on this config; the message names its pid. Stop it first (systemctl stop l3ha-agent).',
  ),
  L3HA_NOT_RUN_DIR: input(
    'l3ha sweep --dir takes only a directory l3ha made (a lab, drill or bench dir, or a stateDir or runDir the agent created), marked by its .l3ha-run file; for namespaces use --prefix.',
  ),
  L3HA_NOT_OUR_PROCESS: {
    exit: 1,
    retry: true,
    fix: "A pid file names a process that is not this router's keepalived (not root, another binary or config, or a reused pid); no signal was sent. The agent looks again; find who runs that pid.",
  },
  L3HA_COMMAND_FAILED: {
    exit: 1,
    retry: true,
    fix: 'A system command failed; its stderr is in the message. The agent retries with backoff.',
  },
  L3HA_PLUMBING_MISSING: {
    exit: 1,
    retry: true,
    fix: 'In external plumbing mode, create the namespace and interfaces the message names; the agent retries.',
  },
  L3HA_AGENT_UNREACHABLE: {
    exit: 1,
    retry: true,
    fix: 'Start the agent (systemctl start l3ha-agent) or check runDir.',
  },
  L3HA_LAB_FAILED: {
    exit: 1,
    retry: true,
    fix: 'A lab up, drill or bench could not finish (the message says where); everything it started was removed. Re-run it; after a kill -9, `l3ha sweep --prefix RUNID` removes what is left.',
  },
  L3HA_DRILL_ABORTED: {
    exit: 1,
    retry: false,
    fix: 'The drill stopped before its end (interrupted, or the lab failed; the message says which). What it brought up is removed; a lab given with --dir is healed and left up.',
  },
  L3HA_INTERNAL: {
    exit: 1,
    retry: true,
    fix: 'A bug in l3ha: the message and the agent log hold the stack; please report it.',
  },
} as const satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof CATALOGUE;

export interface ErrorWhere {
  file?: string;
  field?: string;
  value?: unknown;
  cause?: unknown;
}

// An error with a catalogue code and, for config errors, the file, field and bad value.
export class L3haError extends Error {
  readonly code: ErrorCode;
  readonly file: string | undefined;
  readonly field: string | undefined;
  readonly value: unknown;
  readonly hasValue: boolean;

  constructor(code: ErrorCode, message: string, where: ErrorWhere = {}) {
    super(message, where.cause === undefined ? undefined : { cause: where.cause });
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

  // True when retrying cannot help until the input changes.
  get terminal(): boolean {
    return !CATALOGUE[this.code].retry;
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

// Any thrown value as an L3haError: catalogue errors pass through, anything else is a bug.
export function asL3haError(err: unknown): L3haError {
  if (err instanceof L3haError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new L3haError('L3HA_INTERNAL', message, { cause: err });
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

// The README's error table, generated from the catalogue (a test keeps the two equal).
export function errorTable(): string {
  const rows = Object.entries(CATALOGUE).map(
    ([code, e]) => `| \`${code}\` | ${e.exit} | ${e.retry ? 'yes' : 'no'} | ${e.fix} |`,
  );
  return ['| code | exit | agent retries | fix |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
