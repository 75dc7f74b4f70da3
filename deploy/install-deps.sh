#!/usr/bin/env bash
# Installs the system packages l3ha and its tests use, when any is missing (Debian, as root).
set -euo pipefail
need=()
command -v keepalived >/dev/null || need+=(keepalived)
command -v nft >/dev/null || need+=(nftables)
command -v ip >/dev/null || need+=(iproute2)
command -v arping >/dev/null || need+=(iputils-arping)
command -v ping >/dev/null || need+=(iputils-ping)
command -v conntrack >/dev/null || need+=(conntrack)
command -v tcpdump >/dev/null || need+=(tcpdump)
command -v pgrep >/dev/null || need+=(procps)
command -v fping >/dev/null || need+=(fping)
command -v stress-ng >/dev/null || need+=(stress-ng)
command -v chromium >/dev/null || need+=(chromium)
if [ "${#need[@]}" -gt 0 ]; then
  echo "l3ha: installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Debian's keepalived.service stays idle without /etc/keepalived/keepalived.conf; l3ha runs its own per router.
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
