#!/usr/bin/env bash
# Builds local stand-ins for the official Prometheus, Alertmanager, node exporter and
# VictoriaMetrics images from Debian's packages, and for the node image the inference image builds on (node-base.sh), then
# prints the shell lines that point the console and the tests at them:
#   eval "$(npm run -s test-images)"
# Progress goes to stderr so stdout stays eval-able.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

need() { command -v "$1" >/dev/null || { echo "test-images: $1 not found; install Debian's $2" >&2; exit 1; }; }
need prometheus prometheus
need prometheus-alertmanager prometheus-alertmanager
need prometheus-node-exporter prometheus-node-exporter
need victoria-metrics victoria-metrics
need docker docker.io
[ -x /bin/busybox ] || { echo "test-images: /bin/busybox not found; install Debian's busybox-static" >&2; exit 1; }

prom_version="$(prometheus --version 2>&1 | sed -n 's/^prometheus, version \([0-9.]*\).*/\1/p')"
am_version="$(prometheus-alertmanager --version 2>&1 | sed -n 's/^alertmanager, version \([0-9.]*\).*/\1/p')"
prom_image="rx580-ops-test/prometheus:${prom_version}"
am_image="rx580-ops-test/alertmanager:${am_version}"
ne_version="$(prometheus-node-exporter --version 2>&1 | sed -n 's/^node_exporter, version \([0-9.]*\).*/\1/p')"
ne_image="rx580-ops-test/node-exporter:${ne_version}"
# Debian's build prints no version of its own: the package's, without the Debian suffix.
vm_version="$(dpkg-query -W -f='${Version}' victoria-metrics | sed 's/[+~-].*//')"
vm_image="rx580-ops-test/victoria-metrics:${vm_version}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A root filesystem shared by the images: busybox as the official images have, the dynamic
# loader and libc the Debian binaries link against, and passwd/group entries for nobody.
stage_rootfs() {
  local root="$1/rootfs"; shift
  mkdir -p "$root/bin" "$root/etc" "$root/tmp"
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in sh wget cat ls ps; do ln -s busybox "$root/bin/$applet"; done
  local bin lib
  for bin in "$@"; do
    for lib in $(ldd "$(command -v "$bin")" | grep -o '/[^ ]*'); do
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$root/etc/group"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
}

build() {
  local name="$1" tag="$2" ctx="$work/$1"
  echo "test-images: building $tag" >&2
  docker build -q -t "$tag" -f "$here/$name.Dockerfile" "$ctx" >&2
}

ctx="$work/prometheus"
mkdir -p "$ctx/owned/etc/prometheus" "$ctx/owned/prometheus"
stage_rootfs "$ctx" prometheus promtool
cp "$(command -v prometheus)" "$(command -v promtool)" "$ctx/"
cp /etc/prometheus/prometheus.yml "$ctx/owned/etc/prometheus/prometheus.yml"
# Debian's build serves its web UI from files rather than embedding it.
mkdir -p "$ctx/rootfs/usr/share/prometheus"
cp -a /usr/share/prometheus/web "$ctx/rootfs/usr/share/prometheus/"
build prometheus "$prom_image"

ctx="$work/alertmanager"
mkdir -p "$ctx/owned/etc/alertmanager" "$ctx/owned/alertmanager"
stage_rootfs "$ctx" prometheus-alertmanager amtool
cp "$(command -v prometheus-alertmanager)" "$ctx/alertmanager"
cp "$(command -v amtool)" "$ctx/"
cp /etc/prometheus/alertmanager.yml "$ctx/owned/etc/alertmanager/alertmanager.yml"
# Debian's build reads its notification templates and UI from files rather than embedding them.
mkdir -p "$ctx/rootfs/usr/share/prometheus"
cp -a /usr/share/prometheus/alertmanager "$ctx/rootfs/usr/share/prometheus/"
build alertmanager "$am_image"

ctx="$work/node-exporter"
stage_rootfs "$ctx" prometheus-node-exporter
cp "$(command -v prometheus-node-exporter)" "$ctx/node_exporter"
build node-exporter "$ne_image"

ctx="$work/victoria-metrics"
stage_rootfs "$ctx" victoria-metrics
# The official image carries the CA bundle, for -promscrape targets over https.
mkdir -p "$ctx/rootfs/etc/ssl/certs"
cp /etc/ssl/certs/ca-certificates.crt "$ctx/rootfs/etc/ssl/certs/"
cp "$(command -v victoria-metrics)" "$ctx/victoria-metrics-prod"
build victoria-metrics "$vm_image"

# The inference image's base: the console builds that image itself, from this.
node_base="$(bash "$here/node-base.sh")"

echo "export RX580_OPS_PROMETHEUS_IMAGE=$prom_image"
echo "export RX580_OPS_ALERTMANAGER_IMAGE=$am_image"
echo "export RX580_OPS_NODE_EXPORTER_IMAGE=$ne_image"
echo "export RX580_OPS_GRAFANA_ENABLED=false"
echo "export RX580_OPS_INFERENCE_BASE_IMAGE=$node_base"
# Test-only: the long-term store remote_write is tested against (no setting names it).
echo "export RX580_OPS_TEST_VICTORIA_METRICS_IMAGE=$vm_image"
