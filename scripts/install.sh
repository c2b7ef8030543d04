#!/bin/sh
# Installs haul under a prefix: the binary, its data (schemas, rule packs, price tables,
# examples), its manual page and its completions for bash, zsh and fish.
#
#   scripts/install.sh [--prefix DIR] [--binary PATH] [--manual-tool PATH]
#
# Without --binary it builds haul (and argument-parser's generate-manual) in release first.
# --binary installs a haul already built; --manual-tool names a built generate-manual (without
# one there is no manual page, and the script says so). Default prefix: /usr/local.
set -eu

prefix=/usr/local
binary=
manual_tool=
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix=$2; shift 2 ;;
        --binary) binary=$2; shift 2 ;;
        --manual-tool) manual_tool=$2; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 64 ;;
    esac
done

# Paths as the user gave them, from where the user is: made absolute before moving to the checkout.
absolute() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$(pwd)" "$1" ;; esac; }
prefix=$(absolute "$prefix")
[ -z "$binary" ] || binary=$(absolute "$binary")
[ -z "$manual_tool" ] || manual_tool=$(absolute "$manual_tool")
cd "$(dirname "$0")/.."
if [ -z "$binary" ]; then
    # The Swift runtime linked in: the installed binary needs no toolchain, and starts faster (a status
    # move in a million-item register spends a third of its time loading shared libraries otherwise).
    swift build -c release --static-swift-stdlib --product haul
    swift build -c release --static-swift-stdlib --product generate-manual
    binary=$(pwd)/.build/release/haul
    manual_tool=$(pwd)/.build/release/generate-manual
fi
[ -x "$binary" ] || { echo "install.sh: no haul binary at $binary" >&2; exit 1; }

data="$prefix/share/haul"
mkdir -p "$prefix/bin" "$data" "$prefix/share/man/man1" "$prefix/share/bash-completion/completions" \
    "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d"
install -m 755 "$binary" "$prefix/bin/haul"
# The data as shipped in the package (the folders the repository's schemas/, rules/,
# valuations/ and examples/ link to); an earlier copy is replaced whole.
rm -rf "$data.new"
cp -R Sources/HaulData/Resources "$data.new"
if [ -d "$data" ]; then rm -rf "$data.old"; mv "$data" "$data.old"; fi
mv "$data.new" "$data"
rm -rf "$data.old"
commit=$(git rev-parse HEAD 2>/dev/null || echo "not recorded (not a git checkout)")
printf 'commit %s\ninstalled %s\n' "$commit" "$(date -u +%Y-%m-%d)" > "$data/BUILD"

# The installed binary, on its installed data, writes its own completions and manual.
HAUL_DATA="$data" "$prefix/bin/haul" --generate-completion-script bash > "$prefix/share/bash-completion/completions/haul"
HAUL_DATA="$data" "$prefix/bin/haul" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_haul"
HAUL_DATA="$data" "$prefix/bin/haul" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/haul.fish"
if [ -n "$manual_tool" ]; then
    HAUL_DATA="$data" "$manual_tool" "$prefix/bin/haul" --authors "Haul contributors" -o "$prefix/share/man/man1"
else
    echo "install.sh: no manual page (give --manual-tool PATH, or run without --binary to build one)" >&2
fi
echo "Installed haul $(HAUL_DATA="$data" "$prefix/bin/haul" --version | head -1 | cut -d' ' -f2) in $prefix/bin, its data in $data"
