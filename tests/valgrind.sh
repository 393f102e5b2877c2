#!/bin/sh
# valgrind.sh: the intake of every message of ../shared/corpus/mail, the
# samples of make run (the generated applications among them) and the
# messages the fuzzer found (tests/messages.sh), by the nintei of BUILD
# under valgrind (memcheck, definite leaks are errors), on a
# temporary spool: two polls in parallel, each over half the messages.
# Fails if valgrind reports an error, a message is left unprocessed, or
# the parsing child failed (every such reason begins with 解析): valgrind
# runs its own system calls in the child, which the seccomp filter would
# kill, so the filter is off here and the time limits are wide.
# Usage: sh tests/valgrind.sh BUILD [MAX]   (MAX > 0: only MAX messages)
set -u
b=$1
max=${2:-0}
top=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nintei-valgrind.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

sh tests/messages.sh "$tmp/all" || exit 1

# Two spools, the messages dealt out in turn.
i=0
for s in 1 2; do
	mkdir -p "$tmp/$s/inbox/new" "$tmp/$s/inbox/cur" "$tmp/$s/inbox/tmp"
	cat >"$tmp/$s/nintei.conf" <<CONF
[secretariat]
address = nintei@example.org
name = クラウドサービス情報開示認定事務局
[source]
url = maildir:inbox
[transport]
url = maildir:outbox
[store]
path = spool
[letters]
templates = $top/templates
[rules]
path = $top/rules
[limits]
parse_seccomp = no
parse_seconds = 600
parse_cpu_seconds = 600
CONF
done
for f in "$tmp/all"/*; do
	i=$((i + 1))
	[ "$max" -gt 0 ] && [ "$i" -gt "$max" ] && break
	cp "$f" "$tmp/$((i % 2 + 1))/inbox/new/"
done
total=$(find "$tmp"/1/inbox/new "$tmp"/2/inbox/new -type f | wc -l)

pids=
for s in 1 2; do
	# Through a pipe: the parsing child may not write files
	# (RLIMIT_FSIZE 0), and its reports must not be lost.
	{ valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
	    --trace-children=yes \
	    --suppressions="$top/tests/valgrind.supp" --num-callers=30 \
	    "$b/nintei" -c "$tmp/$s/nintei.conf" poll 2>&1
	  echo $? >"$tmp/$s/rc"; } | cat >"$tmp/$s/log" &
	pids="$pids $!"
done
bad=0
s=0
for p in $pids; do
	s=$((s + 1))
	wait "$p"
	rc=$(cat "$tmp/$s/rc")
	left=$(find "$tmp/$s/inbox/new" -type f | wc -l)
	"$b/nintei" -c "$tmp/$s/nintei.conf" quarantine >"$tmp/$s/q" 2>&1
	child=$(grep -c '解析' "$tmp/$s/q")
	if [ "$rc" -ne 0 ] || [ "$left" -ne 0 ] || [ "$child" -ne 0 ] ||
	    grep -q '^==[0-9]*==' "$tmp/$s/log"; then
		bad=1
		echo "valgrind: spool $s: exit $rc, $left messages left," \
		    "$child failed in the parsing child:"
		"$b/nintei" -c "$tmp/$s/nintei.conf" quarantine show 1 | head -n 8
		grep -v '^nintei: ' "$tmp/$s/log" | head -n 60
	fi
done
if [ "$bad" -ne 0 ]; then
	echo "valgrind: FAILED"
	exit 1
fi
echo "valgrind: $total messages ingested, no errors, no definite leaks"
