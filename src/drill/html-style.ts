// The drill page's inline style sheet (no fonts or images fetched).

export const HTML_STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1b1f24; background: #fff; max-width: 1000px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 22px 0 6px; border-bottom: 1px solid #d0d7de; }
.pass { color: #1a7f37; } .failed { color: #cf222e; }
.summary, .meta, .note { margin: 2px 0; color: #57606a; }
ul.checks { list-style: none; padding: 0; margin: 0; }
ul.checks li { padding: 1px 0; }
.verdict { display: inline-block; width: 3em; font-weight: 600; }
li.ok .verdict { color: #1a7f37; } li.fail .verdict { color: #cf222e; }
.detail { color: #57606a; }
figure { margin: 8px 0 14px; }
figcaption { font-size: 13px; color: #57606a; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: 2px 8px; text-align: left; }
th { background: #f6f8fa; }
svg text { font: 11px system-ui, sans-serif; fill: #57606a; }
svg .row-label { fill: #1b1f24; }
svg .grid { stroke: #eaeef2; stroke-width: 1; }
svg .replies { stroke: #2da44e; stroke-width: 1; fill: none; }
svg .outage { fill: #ffebe9; }
svg .vline-fault { stroke: #cf222e; stroke-width: 2; }
svg .fault-label { fill: #cf222e; font-weight: 600; }
svg .vline-master { stroke: #0969da; stroke-width: 1; stroke-dasharray: 4 3; }
svg .mark-master { stroke: #0969da; stroke-width: 3; }
svg .mark-observed { stroke: #54aeff; stroke-width: 2; }
svg .mark-backup { stroke: #8c959f; stroke-width: 3; }
svg .mark-replay { fill: #8250df; }
svg .mark-garp { stroke: #bf8700; stroke-width: 2; }
svg .mark-split, svg .mark-heal { stroke: #cf222e; stroke-width: 3; }
svg .mark-tcp-stall { fill: #fb8f44; }
svg .heat-row .up { fill: #dafbe1; }
svg .heat-row .down { fill: #cf222e; }
.legend { font-size: 12px; color: #57606a; }
.key { display: inline-block; width: 14px; height: 10px; margin: 0 3px 0 7px; vertical-align: middle; }
.key-reply { background: #2da44e; width: 2px; } .key-outage { background: #ffebe9; border: 1px solid #cf222e; }
.key-fault { background: #cf222e; width: 3px; } .key-master { background: #0969da; width: 3px; }
.key-backup { background: #8c959f; width: 3px; } .key-observed { background: #54aeff; width: 2px; } .key-replay { background: #8250df; }
.key-garp { background: #bf8700; width: 2px; } .key-stall { background: #fb8f44; }
.key-split { background: #cf222e; width: 3px; }
`;
