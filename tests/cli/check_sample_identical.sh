#!/bin/sh
# Shows that a change kept `deadzone analyze` byte-identical on the bundled sample: runs two
# builds of deadzone (BEFORE and AFTER) on geodata/ for both milestone dates and compares every
# output file (diff -r). The output-folder marker (.deadzone-output), which builds before it
# did not write, is the only file allowed to differ.
# usage: tests/cli/check_sample_identical.sh BEFORE_BINARY AFTER_BINARY [GEODATA_DIR]
set -eu
before=$1
after=$2
geodata=${3:-$(dirname "$0")/../../geodata}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for day in 2022-06-30 2022-07-30; do
    "$before" analyze "$geodata" --as-of "$day" --out "$work/before-$day" --quiet >/dev/null 2>&1
    "$after" analyze "$geodata" --as-of "$day" --out "$work/after-$day" --quiet >/dev/null 2>&1
    rm -f "$work/before-$day/.deadzone-output" "$work/after-$day/.deadzone-output"
    if diff -r "$work/before-$day" "$work/after-$day"; then
        echo "$day: $(ls "$work/after-$day" | wc -l) files byte-identical"
    else
        status=1
    fi
done
exit $status
