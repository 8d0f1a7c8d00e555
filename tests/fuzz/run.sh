#!/bin/sh
# run.sh: run every libFuzzer target briefly on a copy of its seed corpus
# and report one TAP line per target.  A crash, leak, timeout or broken
# invariant (__builtin_trap) is "not ok"; its input is kept next to the
# target as crash-<target>-* so it can be replayed:
#   tests/fuzz/fuzz_x tests/fuzz/crash-fuzz_x-...
#
# Environment (set by make check): CH_FUZZ=yes|no, CH_BUILDDIR, CH_SRCDIR.
# The targets share FUZZ_BUDGET seconds (default 56, at least 3 each);
# FUZZ_SECONDS sets the time of each target instead.

if [ "${CH_FUZZ:-no}" != yes ]; then
	echo "1..0 # SKIP clang with -fsanitize=fuzzer not found"
	exit 0
fi

builddir=${CH_BUILDDIR:-.}
srcdir=${CH_SRCDIR:-.}

# A CHAPTERHOUSE_* variable would make every conf_load() fail.
for v in $(env | sed -n 's/^\(CHAPTERHOUSE_[A-Za-z0-9_]*\)=.*/\1/p'); do
	unset "$v"
done

targets=
for f in "$builddir"/tests/fuzz/fuzz_*; do
	case $f in
	*.c|*.o|*.log|*.trs) continue ;;
	esac
	[ -f "$f" ] && [ -x "$f" ] && targets="$targets $f"
done

if [ -z "$targets" ]; then
	echo "1..1"
	echo "not ok 1 - no fuzz targets built in $builddir/tests/fuzz" \
	    "(run make fuzz)"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chapterhouse-fuzz.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

set -- $targets
seconds=${FUZZ_SECONDS:-$((${FUZZ_BUDGET:-56} / $#))}
[ "$seconds" -ge 3 ] 2>/dev/null || seconds=3
echo "1..$#"
n=0
for f in "$@"; do
	n=$((n + 1))
	name=$(basename "$f")
	work=$tmp/$name
	mkdir -p "$work/corpus" "$work/tmp"
	if [ -d "$srcdir/tests/fuzz/corpus/$name" ]; then
		cp "$srcdir/tests/fuzz/corpus/$name"/* "$work/corpus/" \
		    2>/dev/null
	fi
	prefix=$(dirname "$f")/crash-$name-
	TMPDIR=$work/tmp "$f" -max_total_time="$seconds" -rss_limit_mb=2048 \
	    -timeout=10 -artifact_prefix="$prefix" -print_final_stats=1 \
	    "$work/corpus" >"$work/log" 2>&1
	rc=$?
	runs=$(sed -n 's/^Done \([0-9][0-9]*\) runs.*/\1/p' "$work/log" |
	    tail -n 1)
	if [ "$rc" -eq 0 ] && [ -n "$runs" ]; then
		echo "ok $n - $name: $runs runs, no crash"
		continue
	fi
	echo "not ok $n - $name: exit status $rc${runs:+ after $runs runs}"
	grep -E 'ERROR|SUMMARY|Test unit written|runtime error|==[0-9]+==' \
	    "$work/log" | head -n 20 | sed 's/^/# /'
	tail -n 15 "$work/log" | sed 's/^/#   /'
done
exit 0
