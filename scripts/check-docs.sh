#!/usr/bin/env bash
# Builds the library's documentation with DocC (the catalog in Sources/HaulCases/HaulCases.docc
# and each module's doc comments), docc run with --warnings-as-errors so a broken link, an unknown
# symbol or a parameter left undocumented fails the build.
#
#   scripts/check-docs.sh          every library module (fails on any finding)
#   scripts/check-docs.sh --all    also counts the findings of any module listed as pending
#
# The archives are left in .build/plugins/Swift-DocC/outputs/.
set -euo pipefail
cd "$(dirname "$0")/.."
# Modules whose documentation builds clean: every library module. A new module starts in
# `pending` only while its doc comments are written.
held=(HaulCore HaulData HaulValuation HaulProceedings HaulTables HaulXML HaulStore HaulPostgres HaulCases)
pending=()
log="$(mktemp /tmp/haul-docs.XXXXXX)"
trap 'rm -f "$log"' EXIT

# Prints DocC's findings for a target, one per line as file:line: message.
findings() {
    grep -E -A1 "^(warning|error): " "$log" | grep -v -E "prohibited flag|invocation failed|NSCocoaErrorDomain|^--$|Building for" \
        | paste -d' ' - - | sed -E 's/^(warning|error): (.*) +-->? *(.*)$/\3: \2/' || true
}

status=0
for target in "${held[@]}"; do
    if swift package generate-documentation --target "$target" --disable-indexing --warnings-as-errors >"$log" 2>&1; then
        echo "check-docs: $target: built without warnings"
    else
        findings
        echo "check-docs: $target: DocC found problems (above)"
        status=1
    fi
done
if [ "${1:-}" = "--all" ]; then
    for target in "${pending[@]}"; do
        swift package generate-documentation --target "$target" --disable-indexing --warnings-as-errors >"$log" 2>&1 || true
        echo "check-docs: $target (not yet held): $(findings | grep -c . || true) finding(s)"
    done
fi
exit $status
