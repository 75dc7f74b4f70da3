import { atomicWrite, readText } from '../system/files.js';
import { benchHtml } from './report-html.js';
import type { BenchResults } from './table.js';

// `npm run bench:report [-- RESULTS.json [REPORT.html]]`: redraws the bench page from a
// results file without running the bench (defaults: bench/results.json, bench/report.html).

const [from = 'bench/results.json', to = 'bench/report.html'] = process.argv.slice(2);
const text = await readText(from);
if (text === undefined) {
  process.stderr.write(`bench report: cannot read ${from}\n`);
  process.exit(2);
}
await atomicWrite(to, benchHtml(JSON.parse(text) as BenchResults));
process.stderr.write(`bench report: wrote ${to}\n`);
