#!/usr/bin/env bash
# The install as a user makes it: a release build installed into a new prefix, the build folder
# moved away, then haul run from another folder with nothing pointing at its data. CI runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$(mktemp -d)
work=$(mktemp -d)
restore() { [ -d .build.away ] && mv .build.away .build; rm -rf "$prefix" "$work"; }
trap restore EXIT

scripts/install.sh --prefix "$prefix"
mv .build .build.away
haul=$prefix/bin/haul
# The Swift runtime is linked in: the binary loads nothing from the toolchain.
if ldd "$haul" | grep -Eq 'libswift|libFoundation|libdispatch'; then
    echo "check-install: the installed haul loads the Swift runtime as shared libraries:" >&2
    ldd "$haul" | grep -E 'libswift|libFoundation|libdispatch' >&2
    exit 1
fi
# Only PATH and HOME: no HAUL_DATA, no build folder, run from elsewhere.
(cd "$work" && env -i PATH=/usr/bin:/bin HOME="$work" "$haul" demo --output "$work/demo" > "$work/demo.txt")
test -f "$work/demo/SW-2020-0417.xml"
xmllint --noout --schema "$prefix/share/haul/schemas/haul-case-1.xsd" "$work/demo/SW-2020-0417.xml"
env -i PATH=/usr/bin:/bin HOME="$work" "$haul" --version | grep -q "^data: $prefix/share/haul$"
env -i PATH=/usr/bin:/bin HOME="$work" "$haul" --version | grep -q "^build: commit "
man -P cat -l "$prefix/share/man/man1/haul.1" 2>/dev/null | grep -q SYNOPSIS
bash -n "$prefix/share/bash-completion/completions/haul"
# Without its data the binary says where it looked, in one line, and stops.
mv "$prefix/share/haul" "$prefix/share/haul.away"
if message=$(cd "$work" && env -i PATH=/usr/bin:/bin HOME="$work" "$haul" demo 2>&1); then
    echo "check-install: haul ran without its data" >&2; exit 1
fi
[ "$(printf '%s\n' "$message" | wc -l)" -eq 1 ] && printf '%s\n' "$message" | grep -q "cannot find Haul's data"
echo "check-install: the release build installed in $prefix (no Swift libraries loaded) ran the demo from another folder, its build folder moved away"
