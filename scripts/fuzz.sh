#!/usr/bin/env bash
# Fuzzes the case-file import path with libFuzzer for SECONDS (default 600).
# Usage: scripts/fuzz.sh [SECONDS]
# --sanitize=fuzzer alone instruments only the fuzz target's own module; the coverage flags make
# libFuzzer see the Haul modules it exercises too.
# The corpus grows in .fuzz/corpus (seeded with the bundled example and the test attack files);
# crashes land in .fuzz/ as crash-*; a summary line with executions is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
export SWIFT_BACKTRACE=enable=no   # a crash must not hang in the backtracer
swift build -c release --product haul-fuzz --scratch-path .build-fuzz --sanitize=fuzzer --sanitize=address \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
    -Xswiftc -DHAUL_FUZZ -Xswiftc -parse-as-library >/dev/null 2>&1
mkdir -p .fuzz/corpus
cp -n examples/*.xml .fuzz/corpus/ 2>/dev/null || true
cp -n Tests/HaulXMLTests/Hostile/*.xml .fuzz/corpus/ 2>/dev/null || true
.build-fuzz/release/haul-fuzz .fuzz/corpus -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
    -artifact_prefix=.fuzz/ -print_final_stats=1 2>&1 | tee .fuzz/last-run.log | grep -E "^(#|==|stat::|INFO: Done)" | tail -20
