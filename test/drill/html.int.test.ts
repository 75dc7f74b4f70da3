import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DrillReport } from '../../src/drill/report.js';
import { sweep } from '../../src/system/sweep.js';
import { chromium, pageErrors } from '../helpers/chromium.js';
import { l3ha } from '../helpers/cli.js';
import { runner, TEST_PREFIX } from '../helpers/lab.js';

// A real node-loss drill on a 1-router fast lab writes --html; headless Chromium renders
// the page without errors, and the DOM it built has the timeline with a tick per reply.

const runId = `${TEST_PREFIX}h${randomBytes(3).toString('hex')}`;
const labDir = `/tmp/l3ha-test-${runId}`;
const work = mkdtempSync('/tmp/l3ha-html-');
const html = join(work, 'drill.html');

afterAll(async () => {
  // The drill removes its own lab; this only catches what a crashed drill left.
  await sweep(runner, `${runId}-`, existsSync(labDir) ? [labDir] : []);
  rmSync(labDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('l3ha drill --html', () => {
  it('refuses an --html whose directory is missing, or a directory, before any lab comes up', async () => {
    for (const bad of [join(work, 'missing', 'x.html'), work]) {
      const r = await l3ha(['drill', 'node-loss', '--html', bad, '--run-id', runId, '--dir', labDir]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('L3HA_BAD_ARGUMENT');
      expect(r.stderr).toContain('--html');
      expect(r.stderr).toContain(bad);
      expect(existsSync(labDir)).toBe(false);
    }
  });

  it('the console check sees a page error (a control for the test below)', async () => {
    const bad = join(work, 'bad.html');
    writeFileSync(bad, '<html><body><script>console.error("boom"); missing();</script></body></html>');
    const r = await chromium(join(work, 'profile-bad'), [
      '--enable-logging=stderr',
      '--v=0',
      '--dump-dom',
      `file://${bad}`,
    ]);
    expect(pageErrors(r.stderr)).toHaveLength(2);
  });

  it('writes a page Chromium renders: a screenshot, no console errors, an SVG with a tick per reply', async () => {
    const r = await l3ha([
      'drill',
      'node-loss',
      '--routers',
      '1',
      '--profile',
      'fast',
      '--json',
      '--html',
      html,
      '--run-id',
      runId,
      '--dir',
      labDir,
    ]);
    // The page is written whether or not the drill passed; its verdict is drill.int's subject.
    expect([0, 1], r.stderr).toContain(r.code);
    const report = JSON.parse(r.stdout) as DrillReport;
    const tl = report.routers[0]?.timeline;
    expect(tl?.replies.inbound?.length).toBeGreaterThan(100);
    expect(tl?.marks.some((m) => m.kind === 'master' && m.node === report.routers[0]?.newMaster)).toBe(true);
    expect(existsSync(html)).toBe(true);
    expect(existsSync(labDir)).toBe(false);

    const png = join(work, 'drill.png');
    const shot = await chromium(join(work, 'profile-shot'), [
      '--enable-logging=stderr',
      '--v=0',
      `--screenshot=${png}`,
      '--window-size=1040,900',
      `file://${html}`,
    ]);
    expect(shot.code, shot.stderr).toBe(0);
    expect(statSync(png).size).toBeGreaterThan(1000);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    expect(pageErrors(shot.stderr)).toEqual([]);

    const dom = await chromium(join(work, 'profile-dom'), [
      '--enable-logging=stderr',
      '--v=0',
      '--dump-dom',
      `file://${html}`,
    ]);
    expect(dom.code, dom.stderr).toBe(0);
    expect(pageErrors(dom.stderr)).toEqual([]);
    const svg = /<svg [^>]*class="timeline"[^>]*>/.exec(dom.stdout)?.[0] ?? '';
    expect(Number(/ width="(\d+)"/.exec(svg)?.[1])).toBeGreaterThan(0);
    expect(Number(/ height="(\d+)"/.exec(svg)?.[1])).toBeGreaterThan(0);
    for (const [flow, times] of Object.entries(tl?.replies ?? {})) {
      const path = new RegExp(`<path class="replies" data-flow="${flow}"[^>]* d="([^"]*)"`).exec(dom.stdout);
      expect((path?.[1]?.match(/M/g) ?? []).length, flow).toBe(times?.length);
    }
  }, 170_000);
});
