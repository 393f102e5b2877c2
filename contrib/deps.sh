#!/bin/sh
# Installs (or, with --check, looks for) the Debian 12 packages that nintei's
# build, tests and benchmarks need; with "fuzz" or "valgrind" those of make
# fuzz or make valgrind as well.
# Usage: sh contrib/deps.sh [--check] [fuzz|valgrind]
set -eu

# Build: compiler tools and the libraries of the design.
BUILD="pkg-config make gcc libc6-dev libglib2.0-dev libgmime-3.0-dev
libetpan-dev libsqlite3-dev libzip-dev libspf2-dev libexpat1-dev
libjson-glib-dev libcsv-dev libseccomp-dev libgnutls28-dev libxml2-dev
libsasl2-modules tzdata"
# Tests: unit test framework, the writer of XLSX fixtures, zip(1) and
# sqlite3(1) for fixtures and checks, real servers for the network tests
# (Dovecot, aiosmtpd), Chromium to render the dashboard and a Japanese
# font for it (without one, Japanese shows as empty boxes).
TEST="libcmocka-dev libxlsxwriter-dev zip sqlite3 ca-certificates openssl
dovecot-imapd dovecot-pop3d python3-aiosmtpd chromium fonts-noto-cjk"
# make fuzz: clang 14 and its runtimes; libFuzzer and the sanitizers'
# libraries are in libclang-rt-14-dev, which clang only recommends.
FUZZ="clang libclang-rt-14-dev"
# make valgrind.
VALGRIND="valgrind"

check=
if [ "${1:-}" = "--check" ]; then
	check=yes
	shift
fi
EXTRA=
case "${1:-}" in
fuzz) EXTRA=$FUZZ ;;
valgrind) EXTRA=$VALGRIND ;;
"") ;;
*) echo "usage: deps.sh [--check] [fuzz|valgrind]" >&2; exit 64 ;;
esac

missing() {
	for p in $BUILD $TEST $EXTRA; do
		s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		case "$s" in
		*" installed") ;;
		*) echo "$p" ;;
		esac
	done
}

todo=$(missing)
if [ -n "$check" ]; then
	[ -z "$todo" ] && exit 0
	echo "missing Debian packages:" $todo >&2
	exit 1
fi
[ -z "$todo" ] && exit 0

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "deps.sh: these packages are missing and I am not root:" $todo >&2
		exit 1
	fi
fi
echo "deps.sh: installing" $todo >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $todo >/dev/null
