#!/bin/sh
# probe.sh EXPECT HEADER COMPILER [FLAGS...]
# Compiles a file that includes HEADER with the include directories of one of
# imhere-server's libraries. EXPECT "seen": it must compile; "hidden": the
# compiler must stop because it cannot find HEADER (any other failure, or
# success, fails the probe).
expect="$1"; header="$2"; shift 2
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
printf '#include "%s"\n' "$header" > "$dir/probe.cpp"
out="$("$@" -std=c++23 -fsyntax-only "$dir/probe.cpp" 2>&1)"
status=$?
case "$expect" in
  seen)
    if [ $status -eq 0 ]; then echo "ok: $header is visible"; exit 0; fi
    printf 'expected %s to be visible:\n%s\n' "$header" "$out"; exit 1 ;;
  hidden)
    if [ $status -ne 0 ] && printf '%s' "$out" | grep -q "$header: No such file or directory"; then
      echo "ok: $header cannot be included"; exit 0
    fi
    printf 'expected %s to be out of reach (status %s):\n%s\n' "$header" "$status" "$out"; exit 1 ;;
esac
echo "probe.sh: EXPECT is seen or hidden" >&2; exit 2
