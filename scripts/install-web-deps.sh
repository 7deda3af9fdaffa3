#!/usr/bin/env bash
# Installs the npm packages the tests use, from their lock files:
#   tests/web       Lighthouse, playwright-core, puppeteer-core (browser tests),
#                   vnu-jar (the Nu Html Checker, run on Debian's Java)
#   tests/contract  swagger-parser, Redocly CLI, Ajv (the API contract checks)
# Idempotent: a folder is skipped when its lock file has not changed since
# its last install. The browser is Debian's chromium
# (scripts/install-deps.sh); no browser is downloaded.
set -euo pipefail
cd "$(dirname "$0")/../tests"

for dir in web contract; do
  stamp="$dir/node_modules/.imhere-lock.sha256"
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    echo "install-web-deps: tests/$dir npm packages present"
    continue
  fi
  echo "install-web-deps: npm ci in tests/$dir"
  (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  echo "$want" > "$stamp"
done
