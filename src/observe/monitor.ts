// Parser for `ip -o monitor address all-nsid` lines. Pure.

// The namespace id an event line is about; undefined for the root namespace's own events
// and for lines that are not events.
export function nsidOfEvent(line: string): number | undefined {
  const m = /^\[nsid (\d+)\]/.exec(line);
  return m ? Number(m[1]) : undefined;
}
