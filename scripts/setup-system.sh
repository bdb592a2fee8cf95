#!/usr/bin/env bash
# Installs what the tests need from Debian and makes sure a Docker engine answers.
# Idempotent: installs only what is missing, starts dockerd only when no engine answers.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v chromium >/dev/null || missing+=(chromium)
command -v promtool >/dev/null || missing+=(prometheus)
command -v amtool >/dev/null || missing+=(prometheus-alertmanager)
# The local stand-in for prom/node-exporter (stack/test-images/build.sh).
command -v prometheus-node-exporter >/dev/null || missing+=(prometheus-node-exporter)
# The local stand-in for a long-term store that takes remote_write (stack/test-images/build.sh).
command -v victoria-metrics >/dev/null || missing+=(victoria-metrics)
[ -x /bin/busybox ] || missing+=(busybox-static)
# The local node base image of the inference image (stack/test-images/node-base.sh).
command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || missing+=(debootstrap)
# The baseline npm run bench:stack measures the console against.
command -v docker-compose >/dev/null || missing+=(docker-compose)
# The remote rigs of the fleet tests: a network namespace each, with its own sshd and dockerd
# (stack/testing/rig-hosts.ts); the client side is ssh and ssh-keygen.
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
command -v ip >/dev/null || [ -x /usr/sbin/ip ] || missing+=(iproute2)
command -v iptables >/dev/null || [ -x /usr/sbin/iptables ] || missing+=(iptables)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-system: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! docker version >/dev/null 2>&1; then
  echo "setup-system: starting dockerd"
  as_root sh -c 'nohup dockerd >/var/log/dockerd.log 2>&1 &'
  for _ in $(seq 60); do
    docker version >/dev/null 2>&1 && break
    sleep 1
  done
  docker version >/dev/null 2>&1 || { echo "setup-system: dockerd did not come up; see /var/log/dockerd.log" >&2; tail -20 /var/log/dockerd.log >&2; exit 1; }
fi
echo "setup-system: Docker engine $(docker version --format '{{.Server.Version}}') ready"
