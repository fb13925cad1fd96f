#!/bin/sh
# Runs every test/shell/*.bats file under each shell of the matrix, with HYP_SH naming the shell
# the runners are executed by, HYP_MATRIX_JOBS shells at a time (default 2: most tests wait on
# sleeps and timeouts, not on the CPU). A missing shell is reported; with HYP_REQUIRE_SHELLS=1
# (as in CI) it fails the run instead of silently shrinking the matrix, and so does a skipped
# test. Ends with "shell matrix: N passed, N failed, N skipped".
#
#   sh test/shell/run-matrix.sh [FILE.bats ...]      HYP_SHELLS="dash|posh" narrows the matrix
set -u
cd "$(dirname "$0")/../.." || exit 2
# Containers usually run without a locale; so do the runners under test (yash reads its input
# differently without one: docs/shell-bugs.md).
unset LANG LC_ALL LC_CTYPE LANGUAGE
shells=${HYP_SHELLS:-"dash|bash --posix|busybox sh|mksh|ksh|yash|zsh --emulate sh|posh"}
jobs=${HYP_MATRIX_JOBS:-2}
if [ $# -eq 0 ]; then set -- test/shell/*.bats; fi
log_dir=$(mktemp -d "${TMPDIR:-/tmp}/hypothecary-matrix.XXXXXX") || exit 2
trap 'rm -rf "$log_dir"' EXIT
# One compile per config for the whole matrix, not one per shell (test/shell/runner-helpers.bash).
mkdir "$log_dir/compile-cache" || exit 2
HYP_COMPILE_CACHE=${HYP_COMPILE_CACHE:-$log_dir/compile-cache}
export HYP_COMPILE_CACHE

# Start each shell's run; at most $jobs at once, waiting for the oldest before starting another.
running='' missing='' order=''
old_ifs=$IFS
IFS='|'
for shell in $shells; do
  IFS=$old_ifs
  program=${shell%% *}
  if ! command -v "$program" >/dev/null 2>&1; then
    missing="$missing $program"
  else
    HYP_SH=$shell node_modules/bats/bin/bats --tap "$@" >"$log_dir/$program.tap" 2>&1 &
    running="$running $!"
    order="$order|$shell"
    # shellcheck disable=SC2086 # a list of PIDs, split on purpose
    if [ "$(printf '%s\n' $running | grep -c .)" -ge "$jobs" ]; then
      oldest=${running# }
      oldest=${oldest%% *}
      wait "$oldest"
      running=${running#* "$oldest"}
    fi
  fi
  IFS='|'
done
IFS=$old_ifs
wait

passed=0 failed=0 skipped=0
IFS='|'
for shell in ${order#|}; do
  IFS=$old_ifs
  log="$log_dir/${shell%% *}.tap"
  skip=$(grep -c '^ok .* # skip' "$log")
  ok=$(($(grep -c '^ok ' "$log") - skip))
  not_ok=$(grep -c '^not ok ' "$log")
  passed=$((passed + ok))
  failed=$((failed + not_ok))
  skipped=$((skipped + skip))
  if [ "$not_ok" -gt 0 ] || ! grep -q '^1\.\.' "$log"; then
    printf '%-18s %3s passed, %s failed, %s skipped\n' "$shell" "$ok" "$not_ok" "$skip"
    grep -v '^ok ' "$log" | sed 's/^/    /'
    [ "$not_ok" -gt 0 ] || failed=$((failed + 1))
  else
    printf '%-18s %3s passed, %s skipped\n' "$shell" "$ok" "$skip"
    grep '^ok .* # skip' "$log" | sed 's/^/    /'
  fi
  IFS='|'
done
IFS=$old_ifs

if [ "$skipped" -gt 0 ] && [ "${HYP_REQUIRE_SHELLS:-0}" = 1 ]; then
  printf 'skipped tests are failures when HYP_REQUIRE_SHELLS=1: install what they name\n'
  failed=$((failed + skipped))
fi
if [ -n "$missing" ]; then
  if [ "${HYP_REQUIRE_SHELLS:-0}" = 1 ]; then
    printf 'missing shells (HYP_REQUIRE_SHELLS=1):%s\n' "$missing"
    failed=$((failed + 1))
  else
    printf 'warning: skipped missing shells:%s (set HYP_REQUIRE_SHELLS=1 to fail instead)\n' "$missing"
  fi
fi
printf 'shell matrix: %s passed, %s failed, %s skipped\n' "$passed" "$failed" "$skipped"
[ "$failed" -eq 0 ]
