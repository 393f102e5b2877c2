#!/bin/sh
# Runs every test binary of the builds named (build, build-san), each with
# the nintei binary of its own build, and ends with "N passed, N failed".
top=$(pwd)
passed=0
failed=0
for build in "$@"; do
	mkdir -p "$build/tests/logs"
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		name=$(basename "$t")
		log="$build/tests/logs/$name.log"
		NINTEI_TOP="$top" NINTEI_BIN="$top/$build/nintei" \
		    NINTEI_BUILD="$build" \
		    ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:exitcode=86" \
		    UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
		    "$t" >"$log" 2>&1
		rc=$?
		p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
		f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1	# crashed or died without cmocka's report
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		if [ "$f" -ne 0 ]; then
			echo "FAIL $build/tests/$name: $p passed, $f failed (exit $rc); log:"
			grep -E '^\[  (FAILED|ERROR)|^\[ *ERROR|error|ERROR|runtime error' "$log" | head -20
			tail -n 15 "$log"
		else
			echo "ok   $build/tests/$name: $p passed"
		fi
	done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
