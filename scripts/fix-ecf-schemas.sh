#!/usr/bin/env bash
# Makes a corrected copy of the published OASIS ECF 5.0 schemas that libxml2 can compile, for
# the tests that validate Haul's ECF filings (Haul itself never loads them).
#
#   scripts/fix-ecf-schemas.sh SOURCE_SCHEMA_DIR [DEST]
#
# SOURCE_SCHEMA_DIR is the schema/ folder of ECF 5.0 CS01 (docs.oasis-open.org/legalxml-courtfiling/
# ecf/v5.0/cs01/schema/, or ecf-v5.0-cs01/schema in github.com/oasis-tcs/legalxml-courtfiling-5.0-spec).
# DEST defaults to .ecf-schemas in the repository (ignored by git); the tests look there, or at
# $HAUL_ECF_SCHEMAS.
#
# What is fixed: schemaLocation paths written with Windows backslashes (niem\niem-core\4.0\...)
# become forward slashes. That is all filing.xsd and its imports need; the other published
# problems (UBL 2.2 and the W3C signature schema imported over http, a malformed signature
# schema) sit in payment.xsd, policyresponse.xsd and xmlsig/, which a FilingMessage does not use.
set -euo pipefail
source_dir=${1:?usage: scripts/fix-ecf-schemas.sh SOURCE_SCHEMA_DIR [DEST]}
dest=${2:-"$(cd "$(dirname "$0")/.." && pwd)/.ecf-schemas"}
[ -f "$source_dir/filing.xsd" ] || { echo "no filing.xsd in $source_dir: give the ECF 5.0 schema/ folder" >&2; exit 1; }
rm -rf "$dest"
mkdir -p "$dest"
cp -R "$source_dir"/. "$dest"/
find "$dest" -name '*.xsd' -exec sed -i -E ':again; s/(schemaLocation="[^"\\]*)\\/\1\//; t again' {} +
if grep -rl 'schemaLocation="[^"]*\\' "$dest" --include='*.xsd' >/dev/null; then
    echo "backslashes remain in:" >&2
    grep -rl 'schemaLocation="[^"]*\\' "$dest" --include='*.xsd' >&2
    exit 1
fi
echo "corrected ECF 5.0 schemas in $dest (filing.xsd compiles with libxml2)"
