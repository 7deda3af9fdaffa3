#!/usr/bin/env bash
# Installs the npm packages of the browser tests (Lighthouse, playwright-core,
# puppeteer-core for Lighthouse runs that start with a form post)
# into tests/web/node_modules from the lock file. Idempotent: skipped when the
# lock file has not changed since the last install. The browser is Debian's
# chromium (scripts/install-deps.sh); no browser is downloaded.
set -euo pipefail
cd "$(dirname "$0")/../tests/web"

stamp=node_modules/.imhere-lock.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "install-web-deps: npm packages present"
  exit 0
fi
echo "install-web-deps: npm ci"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
echo "$want" > "$stamp"
