// Parses `ping -n -D -O` output into what a drill reports. Pure.

export interface FlowResult {
  readonly sent: number;
  readonly received: number;
  readonly lost: number;
  // The longest gap between consecutive answers that ends after the fault, in ms (the
  // flow's downtime; a gap that closed before the fault is not this fault's outage). A
  // flow that had not answered again when probing stopped is down from its last answer
  // (or the fault) until then, and not recovered.
  readonly downtimeMs: number;
  readonly recovered: boolean;
  // When that gap started and ended (epoch ms): the last answer before it, the first after.
  readonly outageFrom: number | undefined;
  readonly outageTo: number | undefined;
  readonly lastAnswerAt: number | undefined;
  // ms from the fault to the answer that ended the fault's own outage (the last gap of more
  // than 3 probe intervals that ends after the fault and starts within FAULT_SLACK_MS of it);
  // 0 when the fault stopped nothing, or when the flow never came back (recovered false).
  // Read from the same answers as downtimeMs: a flow's downtime is at least its fault outage.
  readonly recoveryMs: number;
  // fping printed no summary for this target: it ended before it was stopped (or was
  // killed), so sent and lost are not known; lost reads 0 and must not be trusted.
  readonly noSummary?: boolean;
}

// Three missed 10 ms probes make an outage.
export const OUTAGE_GAP_MS = 30;

// An outage that starts this soon after the fault is the fault's; later ones (a blip while
// the victim rejoins) are not when the flow came back.
export const FAULT_SLACK_MS = 1000;

// A flow silent for this long when probing stops has not answered again. Shorter silences
// at the end are not counted: at 100 routers fping's last second of replies can still be
// queued when it is stopped.
export const SILENT_AT_END_MS = 1500;

// Parses `fping -l -D` (one process probing many targets): replies on stdout, the
// per-target `xmt/rcv` summary on stderr. Returns one FlowResult per target.
export function parseFping(
  stdout: string,
  stderr: string,
  targets: readonly string[],
  faultAt = 0,
  endAt?: number,
): Record<string, FlowResult> {
  const times = fpingReplies(stdout, targets);
  const sums = new Map<string, [number, number]>();
  for (const m of stderr.matchAll(/^(\S+)\s+: xmt\/rcv\/%loss = (\d+)\/(\d+)/gm))
    sums.set(m[1] as string, [Number(m[2]), Number(m[3])]);
  const out: Record<string, FlowResult> = {};
  for (const t of targets) {
    const answers = times.get(t) ?? [];
    const sum = sums.get(t);
    const [sent, received] = sum ?? [answers.length, answers.length];
    const flow = flowFrom(answers, sent, received, faultAt, endAt);
    out[t] = sum ? flow : { ...flow, noSummary: true };
  }
  return out;
}

// The reply times (epoch ms) of each target in `fping -l -D` output, in output order.
export function fpingReplies(stdout: string, targets: readonly string[]): Map<string, number[]> {
  const times = new Map<string, number[]>(targets.map((t) => [t, []]));
  // fping pads shorter target names to the longest one (lesson 23).
  for (const m of stdout.matchAll(/^\[(\d+\.\d+)\] (\S+)\s+: \[\d+\], \d+ bytes/gm)) {
    times.get(m[2] as string)?.push(Number(m[1]) * 1000);
  }
  return times;
}

// The reply times (epoch ms) in `ping -n -D -O` output.
export const pingReplies = (text: string): number[] =>
  [...text.matchAll(/^\[(\d+\.\d+)\] \d+ bytes from .*icmp_seq=(\d+)/gm)].map((m) => Number(m[1]) * 1000);

export function parsePing(text: string, faultAt = 0, endAt?: number): FlowResult {
  const answers = pingReplies(text);
  const seqs = [...text.matchAll(/icmp_seq=(\d+)/g)].map((m) => Number(m[1]));
  const summary = /(\d+) packets transmitted, (\d+) received/.exec(text);
  const sent = summary ? Number(summary[1]) : seqs.reduce((m, x) => Math.max(m, x), 0);
  const received = summary ? Number(summary[2]) : answers.length;
  return flowFrom(answers, sent, received, faultAt, endAt);
}

// Downtime, outage and recovery from answer times (epoch ms).
function flowFrom(
  unsorted: readonly number[],
  sent: number,
  received: number,
  faultAt: number,
  endAt: number | undefined,
): FlowResult {
  const answers = [...unsorted].sort((a, b) => a - b);
  let gap = 0;
  let from: number | undefined;
  let to: number | undefined;
  for (let i = 1; i < answers.length; i++) {
    const g = (answers[i] as number) - (answers[i - 1] as number);
    if ((answers[i] as number) > faultAt && g > gap) {
      gap = g;
      from = answers[i - 1];
      to = answers[i];
    }
  }
  // The fault's own outage: the last gap that ends after the fault and starts within
  // FAULT_SLACK_MS of it. A later blip (the victim rejoining) is counted in downtimeMs
  // when it is the longest, but it is not when the flow came back from the fault.
  let back: number | undefined;
  for (let i = 1; i < answers.length && (answers[i - 1] as number) <= faultAt + FAULT_SLACK_MS; i++) {
    const [a, b] = [answers[i - 1] as number, answers[i] as number];
    if (b > faultAt && b - a > OUTAGE_GAP_MS) back = b;
  }
  let recovered = true;
  const last = answers.at(-1);
  if (endAt !== undefined && endAt > faultAt) {
    const since = Math.max(last ?? faultAt, faultAt);
    if (endAt - since > SILENT_AT_END_MS && endAt - (last ?? faultAt) > gap) {
      gap = endAt - (last ?? faultAt);
      from = last;
      to = undefined;
      recovered = false;
    }
  }
  const recoveryMs = recovered && back !== undefined ? Math.round(back - faultAt) : 0;
  return {
    recovered,
    recoveryMs,
    sent,
    received,
    lost: Math.max(0, sent - received),
    downtimeMs: Math.round(gap),
    outageFrom: from,
    outageTo: to,
    lastAnswerAt: answers.at(-1),
  };
}
