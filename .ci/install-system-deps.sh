#!/usr/bin/env bash
# Installs the Debian packages some tests need beyond Node, so a clean machine runs the whole suite:
#   lighttpd      a real CGI server (mod_cgi) for test/adapters/cgi.test.ts, which serves examples/cgi/ through it.
#   redis-server  a private Redis (unix socket, no persistence) for test/sessions/redis-store.test.ts and
#                 test/sessions/redis-app.test.ts, the RedisSessionStore's tests.
# Idempotent: a package already present is left alone, and nothing is fetched. Installing needs root (CI runs as
# root); as another user it only says what is missing, and the tests that need it skip with a message naming this
# script. Run it by hand with: sudo .ci/install-system-deps.sh
set -euo pipefail

packages=(lighttpd redis-server)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-system-deps.sh: ${packages[*]} already installed" >&2
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-system-deps.sh: ${missing[*]} missing and not root: run 'sudo .ci/install-system-deps.sh'; the tests that need them will skip" >&2
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-system-deps.sh: ${missing[*]} missing and no apt-get here: install them with this system's package manager; the tests that need them will skip" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# An apt cache left from an image build may be gone or stale: update once, then install without recommends.
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
echo "install-system-deps.sh: installed ${missing[*]}" >&2
