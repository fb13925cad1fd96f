#!/usr/bin/env bash
# Runs the container tests (test/e2e/*.bats, or the files given) under podman with the harness
# of test/e2e/lib.bash: one private podman store and one busybox image for the whole run, removed
# at the end. Without podman (or runc, catatonit...) it warns and passes, unless
# HYP_REQUIRE_SHELLS=1 (as in CI): then that is a failure, and so is any skipped test.
# Ends with "e2e: N passed, N failed".
#
#   bash test/e2e/run.sh [FILE.bats ...]      HYP_E2E_KEEP=1 keeps the podman state folder
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
cd "$(dirname "$0")/../.." || exit 2
# shellcheck source=test/e2e/lib.bash
. test/e2e/lib.bash
if [ $# -eq 0 ]; then set -- test/e2e/*.bats; fi
start=$(e2e_now_ms)
require=${HYP_REQUIRE_SHELLS:-0}

finish() { # PASSED FAILED
  printf 'e2e: %s passed, %s failed (%ss)\n' "$1" "$2" "$((($(e2e_now_ms) - start + 500) / 1000))"
  [ "$2" -eq 0 ]
  exit
}

if ! e2e_require; then
  if [ "$require" = 1 ]; then
    printf 'e2e: the container tests cannot run (HYP_REQUIRE_SHELLS=1): install what is missing\n'
    finish 0 1
  fi
  printf 'warning: skipped the container tests (set HYP_REQUIRE_SHELLS=1 to fail instead)\n'
  finish 0 0
fi

unset E2E_STATE
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  if [ "${HYP_E2E_KEEP:-0}" = 1 ]; then
    printf 'e2e: kept %s\n' "$E2E_STATE"
  else
    e2e_state_destroy
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
setup_start=$(e2e_now_ms)
if ! e2e_state_create || ! e2e_image_busybox "$E2E_IMAGE"; then
  printf 'e2e: could not set up podman and the busybox image\n'
  finish 0 1
fi
printf 'e2e: podman store and busybox image ready in %s ms (%s)\n' "$(($(e2e_now_ms) - setup_start))" "$E2E_STATE"

log=$E2E_STATE/e2e.tap
E2E_STATE=$E2E_STATE node_modules/bats/bin/bats --tap --timing "$@" >"$log" 2>&1
skip=$(grep -c '^ok .* # skip' "$log")
ok=$(($(grep -c '^ok ' "$log") - skip))
not_ok=$(grep -c '^not ok ' "$log")
# Every test with its time; failures with bats' explanation under them.
grep -v '^1\.\.' "$log" | sed 's/^/  /'
failed=$not_ok
grep -q '^1\.\.' "$log" || failed=$((failed + 1))
if [ "$skip" -gt 0 ] && [ "$require" = 1 ]; then
  printf 'skipped tests are failures when HYP_REQUIRE_SHELLS=1: install what they name\n'
  failed=$((failed + skip))
fi
finish "$ok" "$failed"
