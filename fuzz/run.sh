#!/bin/sh
# run.sh: runs libFuzzer harnesses of BUILD, each for SECONDS, JOBS at a
# time, on BUILD/corpus/NAME (what it learns, kept between runs) and
# BUILD/seeds/NAME; prints one summary line per harness and fails if one
# found a crash, a leak, a timeout or an out-of-memory input, which stay
# in BUILD/found/NAME/.
# Usage: sh fuzz/run.sh BUILD SECONDS JOBS NAME...
set -u
b=$1
secs=$2
jobs=$3
shift 3

# The largest input of each harness: whole messages and archives may be
# big, texts are short.
maxlen() {
	case "$1" in
	mail|zip|xlsx) echo 1048576 ;;
	*) echo 65536 ;;
	esac
}

one() {
	h=$1
	mkdir -p "$b/corpus/$h" "$b/found/$h" "$b/logs"
	dict=
	[ -f "fuzz/$h.dict" ] && dict=-dict=fuzz/$h.dict
	# shellcheck disable=SC2086
	"$b/fuzz_$h" "$b/corpus/$h" "$b/seeds/$h" $dict \
	    -max_total_time="$secs" -max_len="$(maxlen "$h")" \
	    -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 \
	    -artifact_prefix="$b/found/$h/" \
	    >"$b/logs/$h.log" 2>&1
}

summary() {
	h=$1
	log=$b/logs/$h.log
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	found=$(ls "$b/found/$h" | wc -l)
	printf 'fuzz_%-9s %5ss %10s runs  cov %5s  ft %6s  corpus %5s  found %s\n' \
	    "$h" "$secs" "${runs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" \
	    "$found"
	if [ "$found" -ne 0 ]; then
		ls "$b/found/$h" | sed "s|^|    $b/found/$h/|"
		return 1
	fi
	return 0
}

set -- "$@"
all="$*"
while [ $# -gt 0 ]; do
	i=0
	while [ $# -gt 0 ] && [ "$i" -lt "$jobs" ]; do
		one "$1" &
		shift
		i=$((i + 1))
	done
	wait
done
bad=0
for h in $all; do
	summary "$h" || bad=1
done
exit $bad
