import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAULT_SLACK_MS, OUTAGE_GAP_MS, parseFping, parsePing } from '../../src/drill/ping.js';

// parsePing reads what `ping -n -D -O -i 0.01` prints. The helper below writes that
// output: one probe every 10 ms from START, answered unless its icmp_seq is in a hole,
// and `no answer yet` for the ones that are not.

const HOST = '198.51.100.1';
// Epoch ms of icmp_seq=1, with the microseconds ping -D prints.
const START = 1795612494647.272;
const INTERVAL = 10;

const sentAt = (seq: number) => START + (seq - 1) * INTERVAL;
const stamp = (ms: number) => `[${(ms / 1000).toFixed(6)}]`;

interface PingOptions {
  readonly count: number;
  // Inclusive icmp_seq ranges that get no answer.
  readonly holes?: readonly (readonly [number, number])[];
  // false: the ping was killed before it printed its statistics.
  readonly summary?: boolean;
  // Overrides the received count of the summary line.
  readonly summaryReceived?: number;
}

function answered(seq: number, holes: PingOptions['holes'] = []): boolean {
  return !holes.some(([from, to]) => seq >= from && seq <= to);
}

function answerLine(seq: number, at = sentAt(seq)): string {
  return `${stamp(at)} 64 bytes from ${HOST}: icmp_seq=${seq} ttl=63 time=0.087 ms`;
}

function pingLines(o: PingOptions): string[] {
  const lines = [`PING ${HOST} (${HOST}) 56(84) bytes of data.`];
  let received = 0;
  for (let seq = 1; seq <= o.count; seq++) {
    if (answered(seq, o.holes)) {
      lines.push(answerLine(seq));
      received++;
    } else {
      // -O reports the missing answer when the next probe goes out.
      lines.push(`${stamp(sentAt(seq + 1))} no answer yet for icmp_seq=${seq}`);
    }
  }
  if (o.summary !== false) {
    const got = o.summaryReceived ?? received;
    const loss = Math.round((100 * (o.count - got)) / o.count);
    lines.push(
      '',
      `--- ${HOST} ping statistics ---`,
      `${o.count} packets transmitted, ${got} received, ${loss}% packet loss, time ${(o.count - 1) * INTERVAL + 13}ms`,
      'rtt min/avg/max/mdev = 0.041/0.087/0.210/0.020 ms',
    );
  }
  return lines;
}

const pingText = (o: PingOptions) => `${pingLines(o).join('\n')}\n`;

describe('parsePing', () => {
  it('counts a flow that never answers again as down until probing stopped', () => {
    // Answers stop at seq 100; the fault is at seq 50; probing stops at seq 300.
    const text = pingText({ count: 300, holes: [[101, 300]] });
    const faultAt = sentAt(50);
    const endAt = sentAt(300);
    const r = parsePing(text, faultAt, endAt);
    expect(r.recovered).toBe(false);
    expect(r.downtimeMs).toBe(Math.round(endAt - sentAt(100)));
    expect(r.outageTo).toBeUndefined();
    expect(r.recoveryMs).toBe(0);
    // The same flow, read without an end, used to look healthy (a 10 ms "outage").
    expect(parsePing(text, faultAt).downtimeMs).toBe(INTERVAL);
  });

  it('is recovered when answers came back before probing stopped', () => {
    const r = parsePing(pingText({ count: 300, holes: [[101, 150]] }), sentAt(90), sentAt(300));
    expect(r.recovered).toBe(true);
    expect(r.downtimeMs).toBe(51 * INTERVAL);
  });

  it('takes sent, received and lost from the statistics line', () => {
    const r = parsePing(pingText({ count: 300, holes: [[101, 150]] }));
    expect(r.sent).toBe(300);
    expect(r.received).toBe(250);
    expect(r.lost).toBe(50);
  });

  it('trusts the statistics line over the answers it could read', () => {
    // ping counts late answers that -O already gave up on; the summary is the truth.
    const r = parsePing(pingText({ count: 300, holes: [[101, 103]], summaryReceived: 299 }));
    expect(r.sent).toBe(300);
    expect(r.received).toBe(299);
    expect(r.lost).toBe(1);
  });

  it('reports the gap around a hole as the downtime, from the last answer before it to the first after', () => {
    const r = parsePing(pingText({ count: 300, holes: [[101, 150]] }));
    // Answers at seq 100 and seq 151: 51 intervals apart.
    expect(r.downtimeMs).toBe(510);
    expect(r.outageFrom).toBeCloseTo(sentAt(100), 3);
    expect(r.outageTo).toBeCloseTo(sentAt(151), 3);
  });

  it('picks the longest of several gaps', () => {
    const r = parsePing(
      pingText({
        count: 400,
        holes: [
          [50, 59],
          [200, 279],
          [300, 319],
        ],
      }),
    );
    expect(r.downtimeMs).toBe(810);
    expect(r.outageFrom).toBeCloseTo(sentAt(199), 3);
    expect(r.outageTo).toBeCloseTo(sentAt(280), 3);
  });

  it('rounds the downtime to whole milliseconds', () => {
    const t = 1795612494000;
    const text = [
      answerLine(1, t),
      answerLine(2, t + 10),
      answerLine(3, t + 52.6),
      answerLine(4, t + 62.6),
    ].join('\n');
    expect(parsePing(text).downtimeMs).toBe(43);
    const down = [answerLine(1, t), answerLine(2, t + 42.4)].join('\n');
    expect(parsePing(down).downtimeMs).toBe(42);
  });

  it('reports the interval as downtime when every probe was answered', () => {
    const r = parsePing(pingText({ count: 100 }));
    expect(r.downtimeMs).toBe(INTERVAL);
    expect(r.lost).toBe(0);
    expect(r.recoveryMs).toBe(0);
  });

  it('gives the time of the last answer, not of the last line', () => {
    // Killed while the target was silent: the tail is all `no answer yet`.
    const r = parsePing(pingText({ count: 200, holes: [[181, 200]], summary: false }));
    expect(r.lastAnswerAt).toBeCloseTo(sentAt(180), 3);
  });

  it('measures recovery from the fault to the first answer that ends an outage', () => {
    // Fault 3 ms after the answer to seq 100; answers resume with seq 151.
    const faultAt = sentAt(100) + 3;
    const r = parsePing(pingText({ count: 300, holes: [[101, 150]] }), faultAt);
    expect(r.recoveryMs).toBe(Math.round(sentAt(151) - faultAt));
    expect(r.recoveryMs).toBe(507);
  });

  it('reports no recovery when the flow never stopped after the fault', () => {
    const r = parsePing(pingText({ count: 300 }), sentAt(100));
    expect(r.recoveryMs).toBe(0);
  });

  it('does not count a single lost probe as an outage', () => {
    // One missing answer makes a 20 ms gap, below the outage threshold.
    expect(2 * INTERVAL).toBeLessThan(OUTAGE_GAP_MS);
    const r = parsePing(pingText({ count: 300, holes: [[120, 120]] }), sentAt(100));
    expect(r.downtimeMs).toBe(20);
    expect(r.recoveryMs).toBe(0);
  });

  it('counts three lost probes as an outage', () => {
    // Three missing answers make a 40 ms gap.
    const r = parsePing(pingText({ count: 300, holes: [[120, 122]] }), sentAt(100));
    expect(r.downtimeMs).toBe(40);
    expect(r.recoveryMs).toBe(Math.round(sentAt(123) - sentAt(100)));
  });

  it('ignores an outage that ended before the fault', () => {
    const r = parsePing(pingText({ count: 300, holes: [[20, 40]] }), sentAt(100));
    // The early outage is not this fault's: neither downtime nor recovery counts it.
    expect(r.downtimeMs).toBe(INTERVAL);
    expect(r.recoveryMs).toBe(0);
  });

  it('measures recovery from the outage after the fault when an earlier one also happened', () => {
    const faultAt = sentAt(200) + 1;
    const r = parsePing(
      pingText({
        count: 400,
        holes: [
          [20, 80],
          [201, 230],
        ],
      }),
      faultAt,
    );
    // The longer outage came before the fault; the fault's own is the one reported, and
    // downtime and recovery come from that same gap.
    expect(r.downtimeMs).toBe(Math.round(sentAt(231) - sentAt(200)));
    expect(r.recoveryMs).toBe(Math.round(sentAt(231) - faultAt));
  });

  it('takes recovery from the fault outage, not from a longer blip seconds later', () => {
    // The fault stops 3 probes (40 ms); at +8 s the victim rejoins and 10 are lost.
    const faultAt = sentAt(100) + 1;
    const r = parsePing(
      pingText({
        count: 1000,
        holes: [
          [101, 103],
          [900, 909],
        ],
      }),
      faultAt,
    );
    expect(r.downtimeMs).toBe(110);
    expect(r.recoveryMs).toBe(Math.round(sentAt(104) - faultAt));
  });

  it('counts an outage that began before the fault and ended after it', () => {
    const faultAt = sentAt(120);
    const r = parsePing(pingText({ count: 300, holes: [[101, 150]] }), faultAt);
    expect(r.recoveryMs).toBe(Math.round(sentAt(151) - faultAt));
  });

  it('sorts answers that arrive out of order before measuring gaps', () => {
    const lines = pingLines({ count: 300, holes: [[101, 150]] });
    const body = lines.slice(1, 301);
    const shuffled = [
      lines[0] as string,
      ...body.filter((_, i) => i % 2 === 1),
      ...body.filter((_, i) => i % 2 === 0),
    ]
      .concat(lines.slice(301))
      .join('\n');
    const faultAt = sentAt(100) + 3;
    const r = parsePing(shuffled, faultAt);
    expect(r).toEqual(parsePing(lines.join('\n'), faultAt));
    expect(r.downtimeMs).toBe(510);
    expect(r.lastAnswerAt).toBeCloseTo(sentAt(300), 3);
  });

  it('puts a late answer printed after later ones in its place', () => {
    const t = 1795612494000;
    // seq 2 is printed last; in time order the gaps are 10, 10, 10.
    const text = [answerLine(1, t), answerLine(3, t + 20), answerLine(4, t + 30), answerLine(2, t + 10)].join(
      '\n',
    );
    const r = parsePing(text);
    expect(r.downtimeMs).toBe(10);
    expect(r.lastAnswerAt).toBeCloseTo(t + 30, 3);
  });

  it('falls back to the highest icmp_seq and the answers counted when ping was killed', () => {
    const r = parsePing(pingText({ count: 200, holes: [[181, 200]], summary: false }));
    expect(r.sent).toBe(200);
    expect(r.received).toBe(180);
    expect(r.lost).toBe(20);
  });

  it('returns zeros for empty output', () => {
    expect(parsePing('')).toEqual({
      sent: 0,
      received: 0,
      lost: 0,
      downtimeMs: 0,
      outageFrom: undefined,
      outageTo: undefined,
      lastAnswerAt: undefined,
      recoveryMs: 0,
      recovered: true,
    });
  });

  it('ignores unanswered probes when looking for answers', () => {
    const text = pingText({ count: 5, holes: [[1, 5]], summary: false });
    const r = parsePing(text);
    expect(r.sent).toBe(5);
    expect(r.received).toBe(0);
    expect(r.lastAnswerAt).toBeUndefined();
    expect(r.downtimeMs).toBe(0);
  });
});

describe('downtime and recovery agree', () => {
  it('recovery ends an outage that starts near the fault, and no longer than the downtime', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { minLength: 2, maxLength: 60 }),
        fc.integer({ min: 0, max: 5000 }),
        (ms, fault) => {
          const t0 = 1_795_612_494_000;
          const out = ms.map(
            (m, i) => `[${((t0 + m) / 1000).toFixed(5)}] 192.0.2.1 : [${i}], 64 bytes, 0.1 ms`,
          );
          const r = parseFping(out.join('\n'), '', ['192.0.2.1'], t0 + fault)['192.0.2.1'];
          if (!r) throw new Error('no result');
          const sorted = [...ms].sort((a, b) => a - b);
          if (r.recoveryMs > 0) {
            // The answer that ended it, and the one before it: a gap of an outage's length,
            // begun no later than FAULT_SLACK_MS after the fault, and no longer than downtime.
            const i = sorted.findIndex((m) => Math.abs(m - fault - r.recoveryMs) < 1);
            expect(i).toBeGreaterThan(0);
            const gap = (sorted[i] as number) - (sorted[i - 1] as number);
            expect(gap).toBeGreaterThan(OUTAGE_GAP_MS);
            expect(sorted[i - 1]).toBeLessThanOrEqual(fault + FAULT_SLACK_MS);
            expect(r.downtimeMs).toBeGreaterThanOrEqual(Math.round(gap));
          } else if (r.recovered) {
            // No outage ended after the fault that began near it.
            for (let i = 1; i < sorted.length; i++) {
              const [a, b] = [sorted[i - 1] as number, sorted[i] as number];
              if (b > fault && a <= fault + FAULT_SLACK_MS) expect(b - a).toBeLessThanOrEqual(OUTAGE_GAP_MS);
            }
          }
        },
      ),
    );
  });
});

describe('parseFping', () => {
  // Recorded from fping 5.1 with two targets of different length: the shorter is padded.
  const stdout = [
    '[1796287600.45714] 198.51.100.1  : [0], 64 bytes, 0.039 ms (0.039 avg, 0% loss)',
    '[1796287600.45867] 198.51.100.10 : [0], 64 bytes, 1.46 ms (1.46 avg, 0% loss)',
    '[1796287600.46768] 198.51.100.1  : [1], 64 bytes, 0.055 ms (0.047 avg, 0% loss)',
    '[1796287600.76776] 198.51.100.10 : [31], 64 bytes, 0.017 ms (0.738 avg, 3% loss)',
  ].join('\n');
  const stderr = [
    '198.51.100.1  : xmt/rcv/%loss = 2/2/0%, min/avg/max = 0.037/0.055/0.457',
    '198.51.100.10 : xmt/rcv/%loss = 32/2/93%, min/avg/max = 0.008/0.031/1.46',
  ].join('\n');

  it('reads every target, whatever padding fping puts after its name', () => {
    const r = parseFping(stdout, stderr, ['198.51.100.1', '198.51.100.10'], 1796287600000);
    expect(r['198.51.100.1']).toMatchObject({ sent: 2, received: 2, lost: 0, downtimeMs: 11 });
    expect(r['198.51.100.10']).toMatchObject({ sent: 32, received: 2, lost: 30, downtimeMs: 309 });
    expect(r['198.51.100.1']?.lastAnswerAt).toBeCloseTo(1796287600467.68, 1);
    expect(r['198.51.100.1']?.noSummary).toBeUndefined();
  });

  it('marks a target without a summary: fping ended early, and its lost count is unknown', () => {
    const r = parseFping(stdout, stderr.split('\n')[0] as string, ['198.51.100.1', '198.51.100.10']);
    expect(r['198.51.100.1']?.noSummary).toBeUndefined();
    expect(r['198.51.100.10']).toMatchObject({ noSummary: true, sent: 2, received: 2 });
  });
});
