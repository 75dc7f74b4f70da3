#!/usr/bin/env bash
# npm run package: builds build/l3ha_VERSION_all.deb with dpkg-deb. The package holds
#   /opt/l3ha              dist (built fresh), templates, package.json, production node_modules
#                          (npm ci --omit=dev), README.md, grafana/l3ha.json, examples/
#   /usr/bin/l3ha          a symlink to /opt/l3ha/dist/cli/main.js (node resolves it, so the
#                          notify hook in keepalived.conf names /opt/l3ha/dist/cli/main.js)
#   /lib/systemd/system/l3ha-agent.service        installed, not enabled
#   /etc/l3ha/agent.yaml, /etc/l3ha/routers.d/r1.yaml   conffiles
#   /usr/share/bash-completion/completions/l3ha
# Needs node, npm and dpkg-deb; no root (dpkg-deb --root-owner-group makes every file root's).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(node -p 'require("./package.json").version')
debver=${version//-/\~} # 1.0.0-rc.1 sorts before 1.0.0 as 1.0.0~rc.1
out=build
stage=$out/l3ha_${debver}_all
deb=$out/l3ha_${debver}_all.deb
rm -rf "$stage" "$deb"
mkdir -p "$stage/DEBIAN" "$stage/opt/l3ha" "$stage/usr/bin" "$stage/lib/systemd/system" \
  "$stage/etc/l3ha/routers.d" "$stage/usr/share/bash-completion/completions" "$stage/usr/share/doc/l3ha"
opt=$stage/opt/l3ha

npx tsc -p tsconfig.build.json --outDir "$opt/dist"
chmod 0755 "$opt/dist/cli/main.js"
cp -r templates package.json package-lock.json README.md "$opt/"
mkdir -p "$opt/grafana" && cp deploy/grafana/l3ha.json "$opt/grafana/"
cp -r deploy/examples "$opt/examples"
(cd "$opt" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error)
rm -f "$opt/node_modules/.package-lock.json"
ln -s /opt/l3ha/dist/cli/main.js "$stage/usr/bin/l3ha"

cp deploy/systemd/l3ha-agent.service "$stage/lib/systemd/system/"
cp deploy/debian/agent.yaml "$stage/etc/l3ha/agent.yaml"
cp deploy/debian/r1.yaml "$stage/etc/l3ha/routers.d/r1.yaml"
cp deploy/completion/l3ha.bash "$stage/usr/share/bash-completion/completions/l3ha"
printf 'l3ha\nLicense: Apache-2.0 (see /usr/share/common-licenses/Apache-2.0)\n' >"$stage/usr/share/doc/l3ha/copyright"

for s in preinst postinst prerm postrm; do install -m 0755 "deploy/debian/$s" "$stage/DEBIAN/$s"; done
printf '/etc/l3ha/agent.yaml\n/etc/l3ha/routers.d/r1.yaml\n' >"$stage/DEBIAN/conffiles"
cat >"$stage/DEBIAN/control" <<CONTROL
Package: l3ha
Version: $debver
Architecture: all
Maintainer: l3ha maintainers <root@localhost>
Section: net
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: nodejs (>= 20.19), keepalived, nftables, iproute2, iputils-ping, conntrack
Description: VRRP active/standby HA controller for L3 router namespaces
 One l3ha agent per network node of a pair supervises a keepalived per router
 namespace, replays NAT and conntrack on a new MASTER, sends follow-up GARPs,
 detects split brain and runs failover drills with real traffic.
CONTROL

# Modes do not depend on the builder's umask: directories 0755, files 0644 or 0755.
find "$stage" -path "$stage/DEBIAN" -prune -o -type d -exec chmod 0755 {} +
find "$stage" -path "$stage/DEBIAN" -prune -o -type f -exec chmod go-w,a+r {} +
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
rm -rf "$stage"
echo "$deb"
