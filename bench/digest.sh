#!/bin/sh
# digest.sh: polls the first N messages of a bench mail folder with the
# nintei of BIN into a fresh spool in DIR, then prints one SHA-256 of every
# row (messages, cases, events, letters, forms...) and of every letter
# written: two builds that decide alike print the same digest.
#   bench/digest.sh BIN MAIL N DIR
set -eu
bin=$1 mail=$2 n=$3 dir=$4
top=$(pwd)
NINTEI_NOW=2026-11-24T10:00:00+09:00
export NINTEI_NOW
rm -rf "$dir"
mkdir -p "$dir/inbox/new" "$dir/inbox/cur" "$dir/inbox/tmp"
sed -e 's|^url = maildir:spool/inbox|url = maildir:inbox|' \
    -e 's|^url = maildir:spool/outbox|url = maildir:outbox|' \
    -e "s|^templates = templates|templates = $top/templates|" \
    "$top/nintei.conf" >"$dir/nintei.conf"
printf '\n[rules]\npath = %s/rules\n' "$top" >>"$dir/nintei.conf"
if [ -n "${DIGEST_EXTRA:-}" ]; then
	printf '%b\n' "$DIGEST_EXTRA" >>"$dir/nintei.conf"
fi
ls "$mail/new" | head -n "$n" | (cd "$mail/new" && xargs ln -t "$dir/inbox/new")
(cd "$dir" && "$bin" -c nintei.conf poll 2>log)
# Every row of every table in rowid order, without the spool's own path
# and with the random part of our letters' Message-IDs set aside; letters
# written by content, without the Date: header.
uuid='[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{12\}'
db=$dir/spool/nintei.db
{
	for t in $(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE \
	    type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name"); do
		echo "== $t"
		sqlite3 "$db" "SELECT * FROM $t ORDER BY rowid" 2>/dev/null ||
		    sqlite3 "$db" "SELECT * FROM $t"
	done | sed -e "s|$dir||g" -e "s|$uuid|UUID|g" |
	    grep -v -e sent_at
	for f in "$dir"/outbox/new/*; do
		[ -f "$f" ] && grep -v '^Date: ' "$f" | sed "s|$uuid|UUID|g" |
		    sha256sum
	done | sort
} >"$dir/digest.txt"
sha256sum <"$dir/digest.txt" | cut -c1-16
