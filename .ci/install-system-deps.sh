#!/usr/bin/env bash
# Installs the Debian packages some tests need beyond Node, so a clean machine runs the whole suite:
#   lighttpd      a real CGI server (mod_cgi) for test/adapters/cgi.test.ts, which serves examples/cgi/ through it.
#   redis-server  a private Redis (unix socket, no persistence) for test/sessions/redis-store.test.ts and
#                 test/e2e/redis-sessions-app.test.ts, the RedisSessionStore's tests.
#   nginx         a real reverse proxy in front of two `flagon serve` instances, for
#                 test/serving/behind-nginx.test.ts. On Debian 12 the `nginx` package is the core binary itself,
#                 with proxy, upstream, ssl and http_v2 compiled in; nginx-light adds only the echo module and
#                 nginx-core/-full add mail, stream, geoip, image-filter and xslt, so `nginx` is the smallest that
#                 has what the test and docs/deployment.md use. The test starts its own nginx (-p, -c); the
#                 Debian service it may start on port 80 is not used.
#   curl openssl  a real HTTPS client and a CA for test/dev/https.test.ts and test/serving/prefork-options.test.ts
#                 (`curl --cacert`, `curl -k`), which skip without them: a slim image may have neither.
#   chromium      a real browser, driven headless by playwright-core (a devDependency, which downloads no browser of
#                 its own), for test/e2e/api-docs-browser.test.ts: the API docs page renders the routes offline.
# Idempotent: a package already present is left alone, and nothing is fetched. Installing needs root (CI runs as
# root); as another user it only says what is missing, and the tests that need it skip with a message naming this
# script. Run it by hand with: sudo .ci/install-system-deps.sh
set -euo pipefail

packages=(lighttpd redis-server nginx curl openssl chromium)
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
