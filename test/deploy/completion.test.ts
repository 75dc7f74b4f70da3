import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The bash completion offers every command, lab subcommand and option that src/cli/main.ts
// defines, asked of bash itself the way a shell asks it.

const SCRIPT = new URL('../../deploy/completion/l3ha.bash', import.meta.url).pathname;
const MAIN = readFileSync(new URL('../../src/cli/main.ts', import.meta.url), 'utf8');

// Command path (e.g. ['lab', 'up']) -> long options, read from the commander calls.
function commandsOfMain(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const parts = MAIN.split(/\.command\('/);
  const optionsOf = (chunk: string) =>
    [...chunk.matchAll(/\.(?:option|requiredOption)\(\s*'(?:-\w, )?(--[a-z-]+)/g)].map((m) => m[1] as string);
  out.set('', ['--version', ...optionsOf(parts[0] ?? '')]);
  for (let i = 1; i < parts.length; i++) {
    const name = /^([a-z-]+)'/.exec(parts[i] ?? '')?.[1] as string;
    const underLab = /\blab\s*$/.test(parts[i - 1] ?? '');
    out.set(underLab ? `lab ${name}` : name, optionsOf(parts[i] ?? ''));
  }
  return out;
}

function complete(...words: string[]): string[] {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync(
    'bash',
    [
      '-c',
      `source "$0"; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _l3ha; printf '%s\\n' "\${COMPREPLY[@]}"`,
      SCRIPT,
    ],
    { encoding: 'utf8' },
  );
  return out.split('\n').filter(Boolean);
}

const commands = commandsOfMain();

describe('bash completion', () => {
  it('finds the commands in main.ts (the reader of main.ts works)', () => {
    expect([...commands.keys()]).toEqual(
      expect.arrayContaining(['', 'check', 'status', 'drill', 'lab', 'lab up', 'lab down', 'lab status']),
    );
    expect(commands.get('status')).toEqual(expect.arrayContaining(['--config', '--watch', '--interval']));
  });

  it('offers every top-level command', () => {
    const top = [...commands.keys()].filter((k) => k !== '' && !k.includes(' '));
    expect(complete('l3ha', '').sort()).toEqual(top.sort());
    expect(complete('l3ha', 'st')).toEqual(['status']);
  });

  it('offers the lab subcommands', () => {
    expect(complete('l3ha', 'lab', '')).toEqual(expect.arrayContaining(['up', 'down', 'status']));
  });

  it.each([...commands.entries()])('offers every option of "l3ha %s"', (path, options) => {
    const words = ['l3ha', ...path.split(' ').filter(Boolean), '--'];
    expect(complete(...words)).toEqual(expect.arrayContaining(options));
  });

  it('offers the drill scenarios and the lab profiles', () => {
    expect(complete('l3ha', 'drill', '')).toEqual(
      expect.arrayContaining([
        'node-loss',
        'keepalived-crash',
        'agent-crash',
        'graceful',
        'ha-partition',
        'flap',
        'chaos',
      ]),
    );
    expect(complete('l3ha', 'lab', 'up', '--profile', '')).toEqual(['fast', 'standard', 'neutron']);
  });
});
