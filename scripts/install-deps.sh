#!/usr/bin/env bash
# Installs the Debian 12 packages imhere needs to build, test and run its demo.
# Idempotent: only missing packages are installed. Works as root or through sudo.
#
#   scripts/install-deps.sh [build|test|demo]   (default: test)
set -euo pipefail

profile="${1:-test}"

build_pkgs=(
  build-essential cmake ninja-build pkg-config git ccache
  libsqlite3-dev sqlite3 libsodium-dev nlohmann-json3-dev libhowardhinnant-date-dev tzdata
  libcurl4-openssl-dev libmicrohttpd-dev libgnutls28-dev libsystemd-dev libpq-dev
  qt6-base-dev qt6-declarative-dev qt6-multimedia-dev qt6-svg-dev
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtqml-workerscript qml6-module-qtquick-templates
  qml6-module-qtmultimedia qml6-module-qttest qml6-module-qtquick-shapes
  libzxing-dev libnfc-dev libnfc-bin libevdev-dev libinih-dev
  dpkg-dev help2man
)
test_pkgs=(
  xvfb xauth wrk postgresql curl ca-certificates openssl
  chromium nodejs npm fonts-dejavu-core default-jre-headless
  systemd lintian cage
  clang-16 libc++-16-dev libc++abi-16-dev libclang-rt-16-dev
)
demo_pkgs=(xvfb xauth curl qt6-qpa-plugins fonts-dejavu-core python3)

case "$profile" in
  build) want=("${build_pkgs[@]}") ;;
  test)  want=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
  demo)  want=("${build_pkgs[@]}" "${demo_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|demo]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# Node and npm may come from outside Debian's packages on some machines; any
# working node >= 18 with npm is enough for the browser tests.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do
    [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p")
  done
  missing=("${filtered[@]}")
fi

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#want[@]} packages present"
  exit 0
fi

sudo=""
if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
