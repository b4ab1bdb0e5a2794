#!/bin/sh
# The docs-site test drives a real headless browser (playwright-core with Debian's chromium at
# /usr/bin/chromium). Install it when missing, on Debian-like machines where we are root; otherwise
# say what to do. Run by `npm test` before the suite; idempotent and quick when present.
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: installing Debian's chromium for the docs-site browser test…" >&2
  export DEBIAN_FRONTEND=noninteractive
  if apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 \
    || { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; }; then
    echo "ensure-chromium: installed $(/usr/bin/chromium --version 2>/dev/null)" >&2
    exit 0
  fi
  echo "ensure-chromium: apt-get could not install chromium; the docs-site test will fail." >&2
  exit 0
fi
echo "ensure-chromium: /usr/bin/chromium is missing; install it (Debian: apt-get install chromium) for the docs-site test." >&2
exit 0
