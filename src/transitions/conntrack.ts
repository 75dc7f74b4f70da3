// Finds conntrack entries that contradict a router's current NAT. Pure.
//
// A flow through a floating IP F is DNATed to its fixed IP X, so its reply comes from X.
// An entry whose original destination is F but whose reply source is not X was made
// under an older mapping: packets of that flow would go to the wrong VM, so it must go.
// Entries whose mapping still holds are never touched.

export interface CtEntry {
  readonly proto: string;
  readonly origSrc: string;
  readonly origDst: string;
  readonly replySrc: string;
  readonly replyDst: string;
}

// Parses `conntrack -L` default output (one flow per line).
export function parseConntrack(text: string): CtEntry[] {
  return text.split('\n').flatMap((line) => parseConntrackLine(line) ?? []);
}

// One line of `conntrack -L`; undefined when it is not a flow. conntrack prints the
// original tuple, then the reply tuple, each `src=` before `dst=`. Read with indexOf: a
// streamed listing can be 100,000 lines, and regexes took 2.5 times as long.
export function parseConntrackLine(line: string): CtEntry | undefined {
  const t = line.trimStart();
  const proto = t.slice(0, t.search(/\s|$/));
  const origSrc = valueAfter(t, ' src=', 0);
  const origDst = valueAfter(t, ' dst=', origSrc.end);
  const replySrc = valueAfter(t, ' src=', origDst.end);
  const replyDst = valueAfter(t, ' dst=', replySrc.end);
  if (!proto || replyDst.end < 0) return undefined;
  return {
    proto,
    origSrc: origSrc.value,
    origDst: origDst.value,
    replySrc: replySrc.value,
    replyDst: replyDst.value,
  };
}

// The value after key (up to the next whitespace), searched from `from`; end -1 when absent.
function valueAfter(line: string, key: string, from: number): { value: string; end: number } {
  if (from < 0) return { value: '', end: -1 };
  const at = line.indexOf(key, from);
  if (at < 0) return { value: '', end: -1 };
  const start = at + key.length;
  let end = start;
  while (end < line.length && line.charCodeAt(end) > 32) end++;
  return { value: line.slice(start, end), end };
}

// A conntrack -D filter: both addresses together select exactly the contradicting flows.
export type CtDelete =
  | { readonly kind: 'inbound'; readonly origDst: string; readonly replySrc: string }
  | { readonly kind: 'outbound'; readonly origSrc: string; readonly replyDst: string };

export function deleteArgs(d: CtDelete): string[] {
  return d.kind === 'inbound'
    ? ['-D', '--orig-dst', d.origDst, '--reply-src', d.replySrc]
    : ['-D', '--orig-src', d.origSrc, '--reply-dst', d.replyDst];
}

// How a replay finds the candidate flows (lesson 37). conntrack-tools 1.4.7 (Debian 12)
// asks the kernel to filter a dump by family and mark only: `--orig-dst F` still dumps the
// whole table, and conntrack drops what does not match. So every listing costs one dump
// (about 0.3 CPU-s per 100,000 flows in conntrack), and what a filter saves is the agent
// reading lines it does not need (about 8 µs each). Up to EXACT_LISTING_MAX floating IPs,
// each address is a listing of its own: a contradicting flow has its floating IP as
// original destination (inbound) or reply destination (outbound from an old fixed IP), or
// a current fixed IP as original source; conntrack has no CIDR for reply addresses, and
// no "or". Past that, one listing of the IPv4 table (the kernel drops IPv6 flows), read
// as a stream: at most six processes, whatever the router holds.
export const EXACT_LISTING_MAX = 2;

export function listArgs(floatingToFixed: ReadonlyMap<string, string>): string[][] {
  if (floatingToFixed.size === 0) return [];
  if (floatingToFixed.size > EXACT_LISTING_MAX) return [['-L', '-f', 'ipv4']];
  const out = new Map<string, string[]>();
  for (const [floating, fixed] of floatingToFixed) {
    for (const f of [
      ['--orig-dst', floating],
      ['--reply-dst', floating],
      ['--orig-src', fixed],
    ]) {
      out.set(f.join(' '), ['-L', '-f', 'ipv4', ...f]);
    }
  }
  return [...out.values()];
}

// The filters to delete, once each.
export function contradictions(
  entries: readonly CtEntry[],
  floatingToFixed: ReadonlyMap<string, string>,
): CtDelete[] {
  const c = new Contradictions(floatingToFixed);
  for (const e of entries) c.add(e);
  return c.deletes();
}

// The same, fed one entry at a time, so a conntrack table of any size is read as a stream
// and only the filters to delete are kept.
export class Contradictions {
  private readonly fixedToFloating: ReadonlyMap<string, string>;
  private readonly out = new Map<string, CtDelete>();

  constructor(private readonly floatingToFixed: ReadonlyMap<string, string>) {
    this.fixedToFloating = new Map([...floatingToFixed].map(([f, x]) => [x, f]));
  }

  deletes(): CtDelete[] {
    return [...this.out.values()];
  }

  add(e: CtEntry): void {
    const { floatingToFixed, fixedToFloating, out } = this;
    // Inbound to a floating IP, answered by anything but its current fixed IP.
    const fixed = floatingToFixed.get(e.origDst);
    if (fixed !== undefined && e.replySrc !== fixed) {
      out.set(`i ${e.origDst} ${e.replySrc}`, { kind: 'inbound', origDst: e.origDst, replySrc: e.replySrc });
    }
    // Outbound from a fixed IP that has a floating IP now, but translated to another address.
    const floating = fixedToFloating.get(e.origSrc);
    const wrongOwner = floatingToFixed.get(e.replyDst);
    const outboundWrong =
      (floating !== undefined && e.replyDst !== e.origSrc && e.replyDst !== floating) ||
      // Outbound from an old fixed IP, still translated to a floating IP that moved on.
      (wrongOwner !== undefined && e.origSrc !== wrongOwner && e.origDst !== e.replyDst);
    if (outboundWrong) {
      out.set(`o ${e.origSrc} ${e.replyDst}`, { kind: 'outbound', origSrc: e.origSrc, replyDst: e.replyDst });
    }
  }
}
