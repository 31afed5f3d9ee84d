#!/usr/bin/env bash
# Builds artifacts/gateway_<version>_amd64.deb from a self-contained publish folder.
# Usage: packaging/build-deb.sh PUBLISH_DIR OUT_DIR
set -euo pipefail
publish="$1"; out="$2"
here="$(cd "$(dirname "$0")" && pwd)"
version="$("$publish/gateway" --version | cut -d+ -f1)"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
install -d "$root/DEBIAN" "$root/usr/lib/gateway" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/default" "$root/usr/share/doc/gateway"
cp -a "$publish/." "$root/usr/lib/gateway/"
ln -s /usr/lib/gateway/gateway "$root/usr/bin/gateway"
install -m 644 "$here/gateway.service" "$root/lib/systemd/system/gateway.service"
install -m 644 "$here/gateway.default" "$root/etc/default/gateway"
install -m 644 "$here/../README.md" "$root/usr/share/doc/gateway/README.md"
echo "/etc/default/gateway" > "$root/DEBIAN/conffiles"
cat > "$root/DEBIAN/control" <<CONTROL
Package: gateway
Version: $version
Architecture: amd64
Maintainer: Gateway maintainers <maintainers@example.invalid>
Depends: libc6, libstdc++6, zlib1g
Section: net
Priority: optional
Description: multi-protocol file gateway (NFS, SMB, FUSE) over an existing directory
 Shares a directory that already exists over NFS and SMB and mounts it back through FUSE,
 with one view of locks and data across protocols.
CONTROL
mkdir -p "$out"
dpkg-deb --root-owner-group --build "$root" "$out/gateway_${version}_amd64.deb"
