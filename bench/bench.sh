#!/bin/sh
# bench.sh: what `make bench` runs.  The mix of mail a secretariat gets
# (bench/gen.c, generated once per seed and kept), polled end to end by
# nintei on fresh spools at each size of BENCH_SIZES with the embedded
# default's configuration (durability on, the Maildir transport); the same
# bytes through the floor (bench/floor.c); `nintei check` of a 10,000-row
# workbook; one mail with a 40 MB attachment.  Prints a Markdown table.
set -eu

top=$(pwd)
build=${BUILD:-build}
bin=$top/$build
sizes=${BENCH_SIZES:-1000 5000 20000}
seed=${BENCH_SEED:-1}
work=${BENCH_DIR:-$top/$build/bench}
rows=${BENCH_ROWS:-10000}
bigmb=${BENCH_BIG_MB:-40}
# The mail's cases are numbered in its year: nintei's clock is set there.
NINTEI_NOW=2026-11-24T10:00:00+09:00
export NINTEI_NOW
LC_ALL=C
export LC_ALL

max=0
for n in $sizes; do
	[ "$n" -gt "$max" ] && max=$n
done
mkdir -p "$work"
out=$work/results.md
# A mail made before for this seed and as many messages or more will do.
mail=$work/mail-s$seed-n$max
for m in "$work"/mail-s"$seed"-n*; do
	[ -f "$m/complete" ] && [ "${m##*-n}" -ge "$max" ] && mail=$m
done

say() {
	printf '%s\n' "$*" | tee -a "$out"
}

load() {
	cut -d' ' -f1 /proc/loadavg
}

# The mail, made once per seed and size by two generators side by side;
# smaller sizes take its first messages (replies follow their cases).
if [ ! -f "$mail/complete" ]; then
	rm -rf "$mail" "$mail.part"
	mkdir -p "$mail.part"
	echo "bench: generating $max messages (seed $seed) in $mail" >&2
	gtmp=$(mktemp -d "${TMPDIR:-/tmp}/nintei-bench.XXXXXX")
	TMPDIR=$gtmp "$bin/gen" -r "$top/rules" -s "$seed" -p 1/2 mix \
	    "$mail.part" "$max" 2>"$work/gen-1.log" &
	p1=$!
	TMPDIR=$gtmp "$bin/gen" -r "$top/rules" -s "$seed" -p 2/2 mix \
	    "$mail.part" "$max" 2>"$work/gen-2.log" &
	p2=$!
	wait "$p1" || { cat "$work/gen-1.log" >&2; exit 1; }
	wait "$p2" || { cat "$work/gen-2.log" >&2; exit 1; }
	rm -rf "$gtmp"
	mv "$mail.part" "$mail"
	touch "$mail/complete"
fi

# Files deleted just before a poll slow it down on ext4 without a journal
# (as here): creating a file checks each recently freed inode of its
# group (recently_deleted, for 30 seconds), which took a sixth of all
# samples of a light poll right after the spools of an earlier one were
# removed. So the spools of an earlier bench go first, 35 seconds before
# the first poll, and the copies each poll makes stay until the end.
for old in "$work"/poll-* "$work"/light "$work"/light-strace \
    "$work"/check "$work"/big-*; do
	[ -e "$old" ] && rm -rf "$old"
done
sleep 35

# A fresh spool in $1: the embedded default with its folders here, the
# repository's templates and rules, and the message size limit $2.
spool() {
	rm -rf "$1"
	mkdir -p "$1/inbox/new" "$1/inbox/cur" "$1/inbox/tmp"
	sed -e 's|^url = maildir:spool/inbox|url = maildir:inbox|' \
	    -e 's|^url = maildir:spool/outbox|url = maildir:outbox|' \
	    -e "s|^templates = templates|templates = $top/templates|" \
	    -e "s|^message_size = .*|message_size = ${2:-50M}|" \
	    "$top/nintei.conf" >"$1/nintei.conf"
	printf '\n[rules]\npath = %s/rules\n' "$top" >>"$1/nintei.conf"
}

# Polls the spool $1 once, timed; sets wall rss user sys and the counts.
poll() {
	if ! (cd "$1" && "$bin/timeit" -o time "$bin/nintei" -c nintei.conf \
	    poll 2>log); then
		echo "bench: nintei poll failed in $1:" >&2
		tail -5 "$1/log" >&2
		exit 1
	fi
	read -r wall rss code user sys <"$1/time"
	recorded=$(sqlite3 "$1/spool/nintei.db" \
	    "SELECT COUNT(*) FROM messages")
	letters=$(ls "$1/outbox/new" | wc -l)
	disp=$(sqlite3 -separator ' ' "$1/spool/nintei.db" "SELECT \
	    disposition, COUNT(*) FROM messages GROUP BY 1 ORDER BY 1" |
	    tr '\n' ' ')
}

# The floor on the first $1 messages (of the mail $2, else the mix); sets
# fwall frss bytes.
floor() {
	"$bin/timeit" -o "$work/floor.time" "$bin/floor" "${2:-$mail}" "$1" \
	    >"$work/floor.out"
	read -r fwall frss fcode fuser fsys <"$work/floor.time"
	read -r _ _ files bytes _ _ _ _ <"$work/floor.out"
}

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
memg=$(awk '/^MemTotal:/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)
fs=$(df -T "$work" | awk 'NR == 2 { print $2 " on " $1 }')
: >"$out"
say "nintei benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), seed $seed"
say ""
say "- machine: $cpu, $(nproc) cores, $memg GiB RAM, spool on $fs" \
    "($work), Linux $(uname -r)"
say "- command: make bench BENCH_SIZES=\"$sizes\""
say ""
say "| messages | input MB | end-to-end s | msg/s | MB/s | peak RSS MB" \
    "| floor s | floor RSS MB | end-to-end / floor | CPU s (user+sys)" \
    "| load |"
say "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
first=
for n in $sizes; do
	d=$work/poll-$n
	spool "$d"
	ls "$mail/new" | head -n "$n" | (cd "$mail/new" &&
	    xargs ln -t "$d/inbox/new")
	sync
	l=$(load)
	poll "$d"
	floor "$n"
	if [ "$recorded" -ne "$n" ]; then
		echo "bench: $recorded of $n messages recorded (see $d/log)" >&2
		exit 1
	fi
	say "$(awk -v n="$n" -v b="$bytes" -v w="$wall" -v r="$rss" \
	    -v f="$fwall" -v fr="$frss" -v u="$user" -v s="$sys" -v l="$l" \
	    'BEGIN { printf "| %d | %.1f | %.1f | %.1f | %.2f | %.1f | %.2f" \
	    " | %.1f | %.1f | %.1f | %s |", n, b / 1e6, w, n / w,
	    b / 1e6 / w, r / 1024, f, fr / 1024, w / f, u + s, l }')"
	echo "bench: $n: $disp; $letters letters" >&2
	[ -n "$first" ] || first="$n $wall"
	last="$n $wall"
done
say ""
say "$(echo "$first $last" | awk '{ printf "- time per message at %d" \
    " messages against %d: %+.0f%% (target: within 15%%)", $3, $1,
    ($4 / $3) / ($2 / $1) * 100 - 100 }')"

# The light mix: BENCH_LIGHT messages of a few KB (applications with the
# smallest forms, replies, automatic mail: gen -k 1-14), polled end to
# end, then the floor on the same bytes; then once more under strace to
# count the syncs.
light=${BENCH_LIGHT:-2000}
if [ "$light" -gt 0 ]; then
	lmail=$work/light-s$seed-n$light
	if [ ! -f "$lmail/complete" ]; then
		rm -rf "$lmail" "$lmail.part"
		mkdir -p "$lmail.part"
		gtmp=$(mktemp -d "${TMPDIR:-/tmp}/nintei-bench.XXXXXX")
		TMPDIR=$gtmp "$bin/gen" -r "$top/rules" -s "$seed" -k 1-14 \
		    -p 1/2 mix "$lmail.part" "$light" 2>"$work/gen-l1.log" &
		p1=$!
		TMPDIR=$gtmp "$bin/gen" -r "$top/rules" -s "$seed" -k 1-14 \
		    -p 2/2 mix "$lmail.part" "$light" 2>"$work/gen-l2.log" &
		p2=$!
		wait "$p1" || { cat "$work/gen-l1.log" >&2; exit 1; }
		wait "$p2" || { cat "$work/gen-l2.log" >&2; exit 1; }
		rm -rf "$gtmp"
		mv "$lmail.part" "$lmail"
		touch "$lmail/complete"
	fi
	d=$work/light
	spool "$d"
	ls "$lmail/new" | head -n "$light" | (cd "$lmail/new" &&
	    xargs ln -t "$d/inbox/new")
	sync
	l=$(load)
	poll "$d"
	floor "$light" "$lmail"
	if [ "$recorded" -ne "$light" ]; then
		echo "bench: light: $recorded of $light recorded" >&2
		exit 1
	fi
	say "$(awk -v n="$light" -v b="$bytes" -v w="$wall" -v r="$rss" \
	    -v f="$fwall" -v u="$user" -v s="$sys" -v l="$l" \
	    'BEGIN { printf "- light mix, %d messages of %.1f KB on average" \
	    " (%.1f MB): %.1f s end to end, %.0f msg/s, peak RSS %.1f MB," \
	    " CPU %.1f s; floor %.2f s; end-to-end / floor %.1f (target:" \
	    " at most 8); load %s", n, b / n / 1024, b / 1e6, w, n / w,
	    r / 1024, u + s, f, w / f, l }')"
	echo "bench: light: $disp; $letters letters" >&2
	if command -v strace >/dev/null 2>&1; then
		d=$work/light-strace
		spool "$d"
		ls "$lmail/new" | head -n "$light" | (cd "$lmail/new" &&
		    xargs ln -t "$d/inbox/new")
		(cd "$d" && strace -f -c -o strace.txt -e \
		    trace=fsync,fdatasync,syncfs,sync,msync,sync_file_range \
		    "$bin/nintei" -c nintei.conf poll 2>log)
		say "$(awk -v n="$light" '$NF == "total" { t = $4 }
		    END { printf "- syncs a message, light mix (strace -c -f:" \
		    " fsync, fdatasync, syncfs...): %.2f (%d in all; target:" \
		    " under 0.5)", t / n, t }' "$d/strace.txt")"
	fi
fi

# nintei check of one large workbook: the median of five runs.
book=$work/book-s$seed-$rows.xlsx
[ -f "$book" ] || "$bin/gen" -r "$top/rules" -s "$seed" book "$book" \
    "$rows" 2>/dev/null
d=$work/check
spool "$d"
for i in 1 2 3 4 5; do
	(cd "$d" && "$bin/timeit" -o "time.$i" "$bin/nintei" -c nintei.conf \
	    check "$book" >/dev/null) || true
done
say "$(cat "$d"/time.* | sort -n | awk -v r="$rows" \
    -v kb="$(wc -c <"$book")" '{ w[NR] = $1; if ($2 > m) m = $2 }
    END { printf "- nintei check of a %d-row workbook (%.0f KB): %.3f s" \
    " (median of %d; target: under 0.5 s), peak RSS %.1f MB", r,
    kb / 1024, w[int((NR + 1) / 2)], NR, m / 1024 }')"

# One mail with a large attachment, and the same mail without it, under a
# message size limit that lets it be read.
for mb in 0 "$bigmb"; do
	eml=$work/big-s$seed-$mb.eml
	[ -f "$eml" ] || "$bin/gen" -r "$top/rules" -s "$seed" big "$eml" \
	    "$mb" 2>/dev/null
	d=$work/big-$mb
	spool "$d" 100M
	ln "$eml" "$d/inbox/new/"
	poll "$d"
	eval "big_rss_$mb=$rss big_wall_$mb=$wall"
	echo "bench: big $mb MB: $disp; $letters letters" >&2
done
eval "brss=\$big_rss_$bigmb bwall=\$big_wall_$bigmb"
say "$(awk -v a="$big_rss_0" -v b="$brss" -v mb="$bigmb" -v w="$bwall" \
    'BEGIN { printf "- one mail with a %d MB attachment (message_size" \
    " = 100M): %.2f s, peak RSS %.1f MB against %.1f MB without it:" \
    " +%.1f MB, %.2f times the attachment", mb, w, b / 1024, a / 1024,
    (b - a) / 1024, (b - a) / 1024 / mb }')"

# The same first size on tmpfs: what the fsyncs cost (not the real
# configuration: nothing there survives a power cut).
if [ -d /dev/shm ] && [ -w /dev/shm ] && [ "${BENCH_TMPFS:-1}" = 1 ]; then
	n=${sizes%% *}
	d=/dev/shm/nintei-bench-$$
	spool "$d"
	ls "$mail/new" | head -n "$n" | (cd "$mail/new" &&
	    xargs cp -t "$d/inbox/new")
	poll "$d"
	floor "$n"
	say "$(awk -v n="$n" -v w="$wall" -v f="$fwall" -v r="$rss" 'BEGIN {
	    printf "- not the real configuration: %d messages with the" \
	    " spool on tmpfs (fsync costs nothing): %.1f s, %.1f msg/s," \
	    " end-to-end / floor %.1f, peak RSS %.1f MB", n, w, n / w,
	    w / f, r / 1024 }')"
	rm -rf "$d"
fi
# The copies of the mail (disk space), now that nothing is timed.
rm -rf "$work"/poll-*/spool/raw "$work"/light/spool/raw "$work"/light-strace
echo "bench: the table is also in $out" >&2
