#!/usr/bin/env bash
# Builds the container image's base besides the application: a Java runtime cut down with jlink from the build's
# JDK, the C library it links against (one pinned Debian package), and a non-root user. The result is a one-layer
# image tarball (docker save format) that jib takes as its base with tar://, so file modes such as /tmp's sticky
# bit, which jib's own permission settings cannot express, arrive in the image as written here. No registry needed.
set -euo pipefail
out=${1:?usage: build-rootfs.sh OUTPUT_DIR}

# The C library, pinned by version and by the checksum of the package file; re-pin both together.
libc_version=2.36-9+deb12u14
libc_sha256=ba4f88f73dbc3ae9055f3c20f4523bfdbaf1ad13ff95e258924f77d20b4fbedf

jdk=""
for home in "${JAVA_HOME:-/nonexistent}" /usr/lib/jvm/* "$HOME"/.jdks/*; do
  if [ -x "$home/bin/jlink" ]; then
    major=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then jdk=$home; break; fi
  fi
done
[ -n "$jdk" ] || { echo "build-rootfs: no JDK 21+ with jlink found" >&2; exit 1; }

root="$out/root"
rm -rf "$out"
mkdir -p "$root/etc" "$root/tmp" "$root/home/worker"

modules=java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs
modules+=,java.rmi,java.scripting,java.security.jgss,java.sql,java.xml,jdk.management,jdk.naming.dns,jdk.unsupported
modules+=,jdk.crypto.cryptoki
# ECDHE, X25519 and ECDSA live in jdk.crypto.ec up to JDK 21; from JDK 22 they are in java.base and the module is
# an empty shell that later releases may drop
if "$jdk/bin/java" --list-modules | grep -q '^jdk\.crypto\.ec@'; then modules+=,jdk.crypto.ec; fi
# the exact JDK the runtime was cut from, recorded in the image's /opt/java/release beside what jlink writes
release_info=$(mktemp)
trap 'rm -rf "$release_info" "${debs:-}"' EXIT
grep -E '^(IMPLEMENTOR|IMPLEMENTOR_VERSION|JAVA_RUNTIME_VERSION)=' "$jdk/release" > "$release_info" || true
"$jdk/bin/jlink" --output "$root/opt/java" --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
  --add-modules "$modules" --release-info "$release_info"
if ! "$root/opt/java/bin/java" -XshowSettings:security:providers -version 2>&1 \
    | grep -Eq '^ +KeyAgreement\.X25519$'; then
  echo "build-rootfs: the runtime cut from $jdk has no X25519/ECDHE: TLS to Feishu would fail" >&2
  exit 1
fi

debs=$(mktemp -d)
if ! (cd "$debs" && apt-get download -q "libc6=$libc_version" >/dev/null 2>&1); then
  apt-get update -qq && (cd "$debs" && apt-get download -q "libc6=$libc_version" >/dev/null 2>&1) || {
    echo "build-rootfs: apt cannot download libc6=$libc_version (the image's pinned C library, Debian 12 amd64)." >&2
    echo "  Debian replaced it or this host's apt sources are not Debian 12: pin the current version and its SHA256" >&2
    echo "  (apt-cache show libc6 | grep -E '^(Version|SHA256)') in tools/image/build-rootfs.sh." >&2
    exit 1
  }
fi
deb=("$debs"/libc6_*.deb)
if ! echo "$libc_sha256  ${deb[0]}" | sha256sum -c --status; then
  echo "build-rootfs: ${deb[0]##*/} does not have the pinned SHA256 $libc_sha256" >&2
  exit 1
fi
dpkg-deb -x "${deb[0]}" "$root"
rm -rf "$root/usr/share/doc" "$root/usr/share/lintian" "$root/usr/share/locale"

printf 'root:x:0:0:root:/root:/sbin/nologin\nworker:x:1000:1000:feishu-approval-worker:/home/worker:/sbin/nologin\n' \
  > "$root/etc/passwd"
printf 'root:x:0:\nworker:x:1000:\n' > "$root/etc/group"
chmod 1777 "$root/tmp"
chmod 777 "$root/home/worker"

# one layer, owned by root, in name order and with a fixed time so the same inputs give the same layer
tar -C "$root" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$out/layer.tar" .
diff_id=sha256:$(sha256sum "$out/layer.tar" | cut -d' ' -f1)
printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["%s"]}}\n' "$diff_id" \
  > "$out/config.json"
printf '[{"Config":"config.json","RepoTags":null,"Layers":["layer.tar"]}]\n' > "$out/manifest.json"
tar -C "$out" -cf "$out/base.tar" manifest.json config.json layer.tar
rm -rf "$root" "$out/layer.tar" "$out/config.json" "$out/manifest.json"
echo "image base in $out/base.tar: Java $(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$jdk/release") from $jdk, libc6 $libc_version"
