#!/usr/bin/env bash
# Lays out the container image's files besides the application: a Java runtime cut down with jlink from the
# build's JDK, the C library it links against (from Debian's package), and a non-root user. No registry is needed.
set -euo pipefail
out=${1:?usage: build-rootfs.sh OUTPUT_DIR}

jdk=""
for home in "${JAVA_HOME:-/nonexistent}" /usr/lib/jvm/* "$HOME"/.jdks/*; do
  if [ -x "$home/bin/jlink" ]; then
    major=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then jdk=$home; break; fi
  fi
done
[ -n "$jdk" ] || { echo "build-rootfs: no JDK 21+ with jlink found" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out/etc" "$out/tmp" "$out/home/worker"
"$jdk/bin/jlink" --output "$out/opt/java" --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
  --add-modules java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.sql,java.xml,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.crypto.cryptoki

debs=$(mktemp -d)
trap 'rm -rf "$debs"' EXIT
if ! (cd "$debs" && apt-get download -q libc6 >/dev/null 2>&1); then
  apt-get update -qq && (cd "$debs" && apt-get download -q libc6 >/dev/null)
fi
for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$out"; done
rm -rf "$out/usr/share/doc" "$out/usr/share/lintian" "$out/usr/share/locale"

printf 'root:x:0:0:root:/root:/sbin/nologin\nworker:x:1000:1000:feishu-approval-worker:/home/worker:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nworker:x:1000:\n' > "$out/etc/group"
echo "image root file system in $out (Java from $jdk)"
