#!/usr/bin/env bash
# Builds a local stand-in for the official node:<major>-bookworm-slim image, which cannot be pulled
# here: a Debian bookworm minbase root filesystem from deb.debian.org with the host's Node.js laid
# out as the official image has it (/usr/local/bin/node, npm under /usr/local/lib/node_modules)
# and its `node` user (1000:1000). Prints the image's tag on stdout, progress on stderr; does
# nothing when that tag already exists.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

node_bin="$(readlink -f "$(command -v node)")"
node_version="$("$node_bin" -p process.versions.node)"
tag="rx580-ops-test/node-base:bookworm-node${node_version}"
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag"
  exit 0
fi

# npm's own directory, wherever the host's layout puts it (/usr/lib or /usr/local/lib): the parent
# of the bin/ that the npm command links into.
npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
[ "$("$node_bin" -p "require('$npm_dir/package.json').name" 2>/dev/null)" = npm ] || { echo "node-base: no npm installation found at $npm_dir" >&2; exit 1; }

if ! command -v debootstrap >/dev/null && [ ! -x /usr/sbin/debootstrap ]; then
  echo "node-base: installing Debian's debootstrap" >&2
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi
debootstrap="$(command -v debootstrap || echo /usr/sbin/debootstrap)"

work="$(mktemp -d)"
trap 'as_root rm -rf --one-file-system "$work"' EXIT
root="$work/rootfs"
log="$work/debootstrap.log"

echo "node-base: building $tag (debootstrap minbase bookworm, Node.js $node_version)" >&2
as_root "$debootstrap" --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$log" 2>&1 || {
  echo "node-base: debootstrap failed; its last lines:" >&2
  tail -20 "$log" >&2
  exit 1
}

extra_ca="${NODE_EXTRA_CA_CERTS:-}"
[ -z "$extra_ca" ] || [ -r "$extra_ca" ] || { echo "node-base: NODE_EXTRA_CA_CERTS names $extra_ca, which cannot be read" >&2; exit 1; }
as_root sh -eu -s "$root" "$node_bin" "$npm_dir" "$extra_ca" <<'EOF'
root="$1" node_bin="$2" npm_dir="$3" extra_ca="$4"
# Node.js where the official image puts it; npm and npx link into npm's own bin/ as there.
install -m 0755 "$node_bin" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules"
cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
chroot "$root" groupadd --gid 1000 node
chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
# The node binary must run on this root filesystem's own libraries (and not the host's environment).
chroot "$root" /usr/bin/env -i /usr/local/bin/node -e 'require("node:os")' >/dev/null

cat >"$root/etc/apt/sources.list" <<'LIST'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
LIST
# What Debian's -slim images configure: no apt caches kept, no docs or man pages installed.
cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'CONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CONF
mkdir -p "$root/etc/dpkg/dpkg.cfg.d"
printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' 'path-exclude /usr/share/man/*' \
  'path-exclude /usr/share/groff/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/lintian/*' >"$root/etc/dpkg/dpkg.cfg.d/docker"

# Behind a TLS-inspecting proxy the host's Node trusts its CA through NODE_EXTRA_CA_CERTS; without
# the same, npm ci in an image build could not reach the registry.
if [ -n "$extra_ca" ]; then
  install -D -m 0644 "$extra_ca" "$root/usr/local/etc/node-extra-ca-certs.pem"
fi

rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/tmp/* "$root"/dev/*
find "$root/var/log" -type f -delete
# The engine provides these per container; debootstrap copied the host's.
rm -f "$root/etc/resolv.conf" "$root/etc/hostname"
EOF

changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change "ENV NODE_VERSION=$node_version" --change 'CMD ["node"]')
[ -z "$extra_ca" ] || changes+=(--change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/etc/node-extra-ca-certs.pem')
as_root tar --numeric-owner -C "$root" -c . | docker import "${changes[@]}" - "$tag" >/dev/null
echo "$tag"
