#!/usr/bin/env bash
# The library's public API, held to a baseline; then how much of it is documented (scripts/doc-coverage,
# which fails below 90 %).
#
#   scripts/check-api.sh            compare the public API with api/*.txt, then run doc-coverage
#   scripts/check-api.sh --update   write api/*.txt anew (after a deliberate change to the API)
#
# The symbol graphs come from the compiler (swift package dump-symbol-graph), so what is listed
# is what an embedding program can call. Exit 1 when the API differs from the baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
update=0
[ "${1:-}" = "--update" ] && update=1

swift package dump-symbol-graph --minimum-access-level public --skip-synthesized-members --skip-inherited-docs >/tmp/haul-symbolgraph.log 2>&1 || { cat /tmp/haul-symbolgraph.log; exit 1; }
# SwiftPM names the folder it wrote (and cleared first) on its last line.
graphs="$(sed -n 's/^Files written to //p' /tmp/haul-symbolgraph.log | tail -1)"
[ -n "$graphs" ] && [ -d "$graphs" ] || { cat /tmp/haul-symbolgraph.log; echo "check-api: SwiftPM did not say where it wrote the symbol graphs"; exit 1; }

python3 - "$graphs" "$update" <<'PY'
import importlib.machinery, importlib.util, os, sys
graphs, update = sys.argv[1], sys.argv[2] == "1"
# The declarations come from doc-coverage's reader of the symbol graphs, so both count the same set.
loader = importlib.machinery.SourceFileLoader("doc_coverage", "scripts/doc-coverage")
coverage = importlib.util.module_from_spec(importlib.util.spec_from_loader("doc_coverage", loader))
loader.exec_module(coverage)
os.makedirs("api", exist_ok=True)
changed = []
for module in coverage.MODULES:
    symbols = coverage.public_symbols(graphs, module)
    lines = sorted(symbols)
    baseline = os.path.join("api", module + ".txt")
    text = "".join(line + "\n" for line in lines)
    if update:
        with open(baseline, "w") as f:
            f.write(text)
    elif not os.path.exists(baseline) or open(baseline).read() != text:
        old = set(open(baseline).read().splitlines()) if os.path.exists(baseline) else set()
        new = set(lines)
        changed.append((module, sorted(new - old), sorted(old - new)))
if update:
    print("check-api: api/*.txt written")
elif changed:
    for module, added, removed in changed:
        print(f"check-api: the public API of {module} differs from api/{module}.txt:")
        for line in added[:40]: print(f"  + {line}")
        for line in removed[:40]: print(f"  - {line}")
    print("check-api: if the change is meant, run scripts/check-api.sh --update and commit api/")
    sys.exit(1)
else:
    print("check-api: the public API is the baseline's")
PY

# The same symbol graphs, counted for documentation: fails below 90 %.
scripts/doc-coverage --graphs "$graphs" --minimum 90
