#!/usr/bin/env bash
# Fuzzes one of Haul's readers of outside files with libFuzzer for SECONDS (default 600).
# Usage: scripts/fuzz.sh [SECONDS] [xml|csv|tables]
#   xml: the case-file import path; csv: exhibit-sheet intake; tables: the price-table readers.
# --sanitize=fuzzer alone instruments only the fuzz target's own module; the coverage flags make
# libFuzzer see the Haul modules it exercises too.
# The corpus grows in .fuzz/corpus (seeded with the bundled example and the test attack files);
# crashes land in .fuzz/ as crash-*; a summary line with executions is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
target="${2:-xml}"
export HAUL_FUZZ_TARGET="$target"
export SWIFT_BACKTRACE=enable=no   # a crash must not hang in the backtracer
swift build -c release --product haul-fuzz --scratch-path .build-fuzz --sanitize=fuzzer --sanitize=address \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
    -Xswiftc -DHAUL_FUZZ -Xswiftc -parse-as-library >/dev/null 2>&1
corpus=".fuzz/corpus-$target"
[ "$target" = xml ] && corpus=".fuzz/corpus"
mkdir -p "$corpus"
case "$target" in
    xml)
        cp -n examples/*.xml "$corpus"/ 2>/dev/null || true
        cp -n Tests/HaulXMLTests/Hostile/*.xml "$corpus"/ 2>/dev/null || true ;;
    csv)
        cp -n examples/exhibits-template.csv "$corpus"/ 2>/dev/null || true ;;
    tables)
        # Each seed is a table: its first byte picks the reader (see Sources/haul-fuzz), here 0 = drugs.csv.
        for file in valuations/GB-EAW/drugs.csv; do { printf '\000'; cat "$file"; } > "$corpus/seed-drugs"; done ;;
esac
.build-fuzz/release/haul-fuzz "$corpus" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
    -artifact_prefix=.fuzz/"$target"- -print_final_stats=1 2>&1 | tee .fuzz/last-run-"$target".log | grep -E "^(#|==|stat::|INFO: Done)" | tail -20
