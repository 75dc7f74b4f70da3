// Parses `ping -n -D -O` output into what a drill reports. Pure.

export interface FlowResult {
  readonly sent: number;
  readonly received: number;
  readonly lost: number;
  // The longest gap between consecutive answers, in ms (the flow's downtime).
  readonly downtimeMs: number;
  // When that gap started and ended (epoch ms): the last answer before it, the first after.
  readonly outageFrom: number | undefined;
  readonly outageTo: number | undefined;
  readonly lastAnswerAt: number | undefined;
  // ms from the fault to the first answer that ended an outage (a gap of more than 3
  // probe intervals) after it; 0 when the flow never stopped.
  readonly recoveryMs: number;
}

// Three missed 10 ms probes make an outage.
export const OUTAGE_GAP_MS = 30;

export function parsePing(text: string, faultAt = 0): FlowResult {
  const answers = [...text.matchAll(/^\[(\d+\.\d+)\] \d+ bytes from .*icmp_seq=(\d+)/gm)].map(
    (m) => Number(m[1]) * 1000,
  );
  answers.sort((a, b) => a - b);
  const seqs = [...text.matchAll(/icmp_seq=(\d+)/g)].map((m) => Number(m[1]));
  const summary = /(\d+) packets transmitted, (\d+) received/.exec(text);
  const sent = summary ? Number(summary[1]) : seqs.reduce((m, x) => Math.max(m, x), 0);
  const received = summary ? Number(summary[2]) : answers.length;
  let gap = 0;
  let from: number | undefined;
  let to: number | undefined;
  for (let i = 1; i < answers.length; i++) {
    const g = (answers[i] as number) - (answers[i - 1] as number);
    if (g > gap) {
      gap = g;
      from = answers[i - 1];
      to = answers[i];
    }
  }
  let recoveryMs = 0;
  for (let i = 1; i < answers.length; i++) {
    const end = answers[i] as number;
    if (end > faultAt && end - (answers[i - 1] as number) > OUTAGE_GAP_MS) {
      recoveryMs = Math.round(end - faultAt);
      break;
    }
  }
  return {
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
