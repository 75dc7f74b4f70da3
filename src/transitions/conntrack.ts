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

// One line of `conntrack -L`; undefined when it is not a flow.
export function parseConntrackLine(line: string): CtEntry | undefined {
  const proto = line.trim().split(/\s+/)[0];
  const src = [...line.matchAll(/\bsrc=(\S+)/g)].map((m) => m[1] as string);
  const dst = [...line.matchAll(/\bdst=(\S+)/g)].map((m) => m[1] as string);
  if (!proto || src.length < 2 || dst.length < 2) return undefined;
  return {
    proto,
    origSrc: src[0] as string,
    origDst: dst[0] as string,
    replySrc: src[1] as string,
    replyDst: dst[1] as string,
  };
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
