#!/bin/sh
# messages.sh: copies every message the intake is tried on into DIR: the
# mail of ../shared/corpus (as corpus-N), the samples of make run and the
# messages the fuzzer found (as found-NAME).
# Usage: sh tests/messages.sh DIR   (from the top of the repository)
set -eu
dir=$1
corpus=${NINTEI_CORPUS:-../shared/corpus}
mkdir -p "$dir"
n=0
find "$corpus/mail" -type f ! -name LICENSE ! -name '.*' | sort |
while read -r f; do
	n=$((n + 1))
	cp "$f" "$dir/corpus-$n"
done
cp contrib/samples/*.eml "$dir/"
for f in tests/fuzz-found/mail/*; do
	if [ -f "$f" ]; then
		cp "$f" "$dir/found-$(basename "$f")"
	fi
done
