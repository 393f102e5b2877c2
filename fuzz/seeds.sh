#!/bin/sh
# seeds.sh: fills BUILD/seeds/NAME, the starting inputs of each harness,
# from ../shared/corpus, the samples, the rules, the templates and the
# values of the tests.
# Usage: sh fuzz/seeds.sh BUILD
set -eu
b=$1
corpus=${NINTEI_CORPUS:-../shared/corpus}
s=$b/seeds

rm -rf "$s"
for h in mail zip xlsx csv value rules template rfc2047 wire; do
	mkdir -p "$s/$h"
done

# mail: the corpus, the samples (the generated applications among them:
# XLSX and CSV forms in ZIPs, CP932 names), what the fuzzer found.
sh tests/messages.sh "$s/mail"

# zip: libzip's test archives; then the ZIP, XLSX and CSV files the
# messages carry, for zip, xlsx and csv, and what the parsing child sends
# for each message, for wire.
find "$corpus/zip" -type f ! -name LICENSE -exec cp {} "$s/zip/" \;
"$b/mkseeds" forms "$s" "$s"/mail/*

# rules: each file alone, and the whole folder as one input (files
# separated by NUL bytes, each after a line with its name).
for f in rules/*.tsv; do
	{ basename "$f"; cat "$f"; } >"$s/rules/$(basename "$f")"
done
for f in rules/*.tsv; do
	basename "$f"
	cat "$f"
	printf '\000'
done >"$s/rules/all"

cp templates/*.txt "$s/template/"

# value: what the tests check, ok("type", "value", ...) and bad(...).
sed -n 's/^[[:space:]]*\(ok\|bad\)("\([^"]*\)", "\([^"\\]*\)".*/\2\t\3/p' \
    tests/test_value.c | "$b/mkseeds" values "$s"

# rfc2047: the address and subject fields of the corpus, after a byte
# giving the width of the field name.
n=0
grep -h -a -E '^(Subject|From|To|Cc): ' -r "$corpus/mail" | head -n 500 |
while IFS= read -r line; do
	n=$((n + 1))
	printf '\011%s' "${line#*: }" >"$s/rfc2047/header-$n"
done

for h in mail zip xlsx csv value rules template rfc2047 wire; do
	printf '%s %s' "$h" "$(ls "$s/$h" | wc -l)"
	[ "$h" = wire ] && echo " seeds" || printf ', '
done
