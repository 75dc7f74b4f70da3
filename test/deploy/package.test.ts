import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadAgentConfig, loadRouterSet } from '../../src/config/load.js';

// The pieces of the Debian package that can be checked without building it; CI builds,
// installs and purges it for real (deploy/package-check.sh).

const at = (p: string) => new URL(`../../deploy/${p}`, import.meta.url).pathname;
const PACKAGE = readFileSync(at('package.sh'), 'utf8');

describe('the Debian package', () => {
  it('depends on node >= 20.19 and the tools l3ha runs (no arping: the kernel sends GARPs, lesson 39)', () => {
    const depends = /^Depends: (.+)$/m.exec(PACKAGE)?.[1]?.split(', ');
    expect(depends).toEqual([
      'nodejs (>= 20.19)',
      'keepalived',
      'nftables',
      'iproute2',
      'iputils-ping',
      'conntrack',
    ]);
  });

  it('asks for the node version package.json asks for', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.engines.node).toBe('>=20.19');
    expect(pkg.scripts.package).toBe('bash deploy/package.sh');
  });

  it('marks as conffiles exactly the files it installs under /etc', () => {
    const conffiles = /printf '([^']+)' >"\$stage\/DEBIAN\/conffiles"/.exec(PACKAGE)?.[1]?.split('\\n');
    const installed = [...PACKAGE.matchAll(/"\$stage(\/etc\/[^"]+)"$/gm)].map((m) => m[1]);
    expect(conffiles?.filter(Boolean).sort()).toEqual(installed.sort());
    expect(installed).toEqual(['/etc/l3ha/agent.yaml', '/etc/l3ha/routers.d/r1.yaml']);
  });

  it('ships the CLI as /usr/bin/l3ha, a symlink to the built entry point', () => {
    expect(PACKAGE).toContain('ln -s /opt/l3ha/dist/cli/main.js "$stage/usr/bin/l3ha"');
    expect(PACKAGE).toContain('dpkg-deb --root-owner-group');
    expect(PACKAGE).toContain('npm ci --omit=dev');
  });

  it('has maintainer scripts and build scripts that parse', () => {
    for (const s of ['preinst', 'postinst', 'prerm', 'postrm']) execFileSync('sh', ['-n', at(`debian/${s}`)]);
    for (const s of ['package.sh', 'package-check.sh']) execFileSync('bash', ['-n', at(s)]);
  });

  it('refuses on a first install only, for /opt/l3ha and /usr/bin/l3ha', () => {
    const preinst = readFileSync(at('debian/preinst'), 'utf8');
    expect(preinst).toContain('if [ "$1" = install ] && [ -z "$2" ]; then');
    expect(preinst).toContain('for p in /opt/l3ha /usr/bin/l3ha; do');
  });

  it('installs an agent config that serves nothing yet and an example router that is valid', () => {
    const agent = loadAgentConfig(at('debian/agent.yaml'));
    expect(agent.supportedRouters).toEqual([]);
    expect(agent.routersDir).toBe('/etc/l3ha/routers.d');
    const set = loadRouterSet(agent, [at('debian/r1.yaml')]);
    expect(set.errors).toEqual([]);
    expect(set.accepted.map((r) => r.spec.id)).toEqual(['r1']);
  });
});
