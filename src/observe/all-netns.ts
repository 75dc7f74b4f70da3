// Parser for `ip -all netns exec CMD` output. Pure.
//
// ip runs CMD in every namespace of /run/netns in turn, and before each one prints an empty
// line and `netns: NAME`. The output of CMD follows; what it printed on stderr is not here.
// Each namespace maps to exactly what its command printed (the same text as running it
// alone, for a byte-wise comparison with an earlier listing); one that printed nothing (an
// nft table that is not there, a namespace removed during the pass) maps to ''.
export function splitAllNetns(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | undefined;
  let body: string[] = [];
  const flush = () => {
    if (name === undefined) return;
    // The last line is the empty one ip prints before the next header (or the final newline).
    if (body.at(-1) === '') body.pop();
    out.set(name, body.length === 0 ? '' : `${body.join('\n')}\n`);
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    // A header is `netns: NAME` after an empty line (or at the very start); NAME has no blank.
    const m = /^netns: (\S+)$/.exec(line);
    if (m && (i === 0 || lines[i - 1] === '')) {
      flush();
      name = m[1];
      body = [];
      continue;
    }
    if (name !== undefined) body.push(line);
  }
  flush();
  return out;
}
