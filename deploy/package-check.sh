#!/usr/bin/env bash
# CI, as root, on a machine without l3ha installed: build the .deb, check that it refuses to
# take over an /opt/l3ha it did not make, install it with dpkg -i, run l3ha from /usr/bin on
# the packaged config, purge it with dpkg -P, and check the machine is as it was.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "l3ha package check: $*"; }
fail() { say "FAILED: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "run as root"
ours=(/opt/l3ha /usr/bin/l3ha /etc/l3ha /var/lib/l3ha /lib/systemd/system/l3ha-agent.service
  /usr/share/bash-completion/completions/l3ha /usr/share/doc/l3ha)
state() { dpkg-query -W -f='${db:Status-Status}' l3ha 2>/dev/null || echo not-installed; }

# Never touch an l3ha already on this machine, packaged or not.
[ "$(state)" = not-installed ] || fail "an l3ha package is on this machine ($(state)); not touching it"
for p in "${ours[@]}"; do
  if [ -e "$p" ] || [ -L "$p" ]; then fail "$p exists; this check needs a machine without l3ha"; fi
done
before=$(dpkg-query -W -f='${Package} ${Version} ${db:Status-Status}\n' | sort)

made_opt=no installed=no
cleanup() {
  if [ "$installed" = yes ] && [ "$(state)" != not-installed ]; then dpkg -P l3ha >/dev/null 2>&1 || true; fi
  if [ "$made_opt" = yes ]; then rm -rf /opt/l3ha; fi
}
trap cleanup EXIT

deb=$(npm run --silent package | tail -1)
[ -f "$deb" ] || fail "npm run package made no .deb"
version=$(dpkg-deb -f "$deb" Version)
say "built $deb ($(dpkg-deb -f "$deb" Depends))"

# nodejs must be a Debian package for dpkg to see the dependency. Where node >= 20.19 comes
# from elsewhere (nvm, a tarball) that one dependency alone is forced, and said so.
force=()
for dep in keepalived nftables iproute2 iputils-ping conntrack; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$dep" 2>/dev/null)" = installed ] || fail "$dep is not installed (bash deploy/install-deps.sh)"
done
if [ "$(dpkg-query -W -f='${db:Status-Status}' nodejs 2>/dev/null)" != installed ]; then
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
    fail "no nodejs package and no node >= 20.19 on PATH"
  [ "$(command -v node)" = /usr/bin/node ] || fail "node is $(command -v node), not /usr/bin/node, which the systemd unit runs"
  say "nodejs is not a Debian package here; node $(node --version) at /usr/bin/node: forcing that dependency only"
  force=(--force-depends)
fi

# A first install refuses an /opt/l3ha that is not the package's and changes nothing.
mkdir /opt/l3ha && made_opt=yes && echo keep >/opt/l3ha/not-from-the-package
if dpkg -i "${force[@]}" "$deb" >/dev/null 2>&1; then installed=yes; fail "dpkg -i took over a foreign /opt/l3ha"; fi
[ "$(cat /opt/l3ha/not-from-the-package)" = keep ] || fail "the foreign /opt/l3ha was changed"
[ "$(state)" = not-installed ] || fail "a refused install left the package $(state)"
[ ! -e /usr/bin/l3ha ] && [ ! -e /etc/l3ha ] || fail "a refused install left files"
rm -rf /opt/l3ha && made_opt=no
say "refused a foreign /opt/l3ha and changed nothing"

installed=yes
dpkg -i "${force[@]}" "$deb"
[ "$(state)" = installed ] || fail "dpkg -i left l3ha $(state)"
[ "$(/usr/bin/l3ha --version)" = "$version" ] || fail "l3ha --version is not $version"
/usr/bin/l3ha check --config /etc/l3ha/agent.yaml
# The notify hook in every keepalived.conf is the packaged CLI, and it runs (rendered from a
# copy of the packaged config that serves the example router).
tmp=$(mktemp -d)
sed 's/^supportedRouters: \[\]$/supportedRouters: ["*"]/' /etc/l3ha/agent.yaml >"$tmp/agent.yaml"
rendered=$(/usr/bin/l3ha render --config "$tmp/agent.yaml" --router r1)
hook=$(grep -m1 -o 'notify "[^"]*"' <<<"$rendered")
rm -rf "$tmp"
case $hook in *' /opt/l3ha/dist/cli/main.js notify '*) ;; *) fail "notify hook is $hook" ;; esac
node_bin=$(echo "$hook" | awk '{print $5}')
"$node_bin" /opt/l3ha/dist/cli/main.js notify --help >/dev/null || fail "the hook's command does not run"
bash -c 'source /usr/share/bash-completion/completions/l3ha && complete -p l3ha' >/dev/null || fail "no completion"
[ ! -e /var/lib/l3ha ] && [ ! -e /run/l3ha ] || fail "check or render wrote state"
say "installed: l3ha $version from /usr/bin, check ok, notify hook $hook"

dpkg -P l3ha
installed=no
[ "$(state)" = not-installed ] || fail "dpkg -P left l3ha $(state)"
for p in "${ours[@]}"; do
  if [ -e "$p" ] || [ -L "$p" ]; then fail "$p is left after dpkg -P"; fi
done
[ "$(dpkg-query -W -f='${Package} ${Version} ${db:Status-Status}\n' | sort)" = "$before" ] ||
  fail "the installed packages differ from before"
say "purged: no /opt/l3ha, /usr/bin/l3ha, /etc/l3ha or unit left; packages as before"
