# Shared by the bats files that drive compiled runners. The shell under test is $HYP_SH (split
# into words: "bash --posix", "zsh --emulate sh"); the compiler runs under node as users run it.

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
HYP_SH=${HYP_SH:-sh}
load "$REPO/node_modules/bats-support/load.bash"
load "$REPO/node_modules/bats-assert/load.bash"

# hyp_compile CONFIG RUNNER [OPTION...]: compiles CONFIG to RUNNER, failing on any diagnostic.
hyp_compile() {
  _hyp_compile_config=$1 _hyp_compile_runner=$2
  shift 2
  node "$REPO/bin/hypothecary.js" compile "$_hyp_compile_config" -o "$_hyp_compile_runner" "$@"
}

# hyp_runner RUNNER ARGS...: runs a compiled runner under the shell being tested.
hyp_runner() {
  # shellcheck disable=SC2086 # HYP_SH is a command with its options
  $HYP_SH "$@"
}

# hyp_check_report: stdin is a report; prints its digest (see test/support/check-report.mjs).
hyp_check_report() {
  node "$REPO/test/support/check-report.mjs"
}

# start_http_server: a loopback HTTP peer on a port the kernel picks; sets HTTP_PORT.
start_http_server() {
  node "$REPO/test/support/http-server.mjs" "$BATS_FILE_TMPDIR/http.port" 3>&- &
  HTTP_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$BATS_FILE_TMPDIR/http.port" ] && break
    sleep 0.05
  done
  HTTP_PORT=$(cat "$BATS_FILE_TMPDIR/http.port")
  export HTTP_PORT HTTP_PID
}

stop_http_server() {
  [ -z "${HTTP_PID:-}" ] || kill "$HTTP_PID" 2>/dev/null || true
}

# now_ms: wall clock in milliseconds, for timing assertions.
now_ms() {
  date +%s%3N
}

# read_only CMD...: CMD in a mount namespace (root only) where nothing but $LOG can be written:
# /tmp read-only, /dev/shm an empty read-only tmpfs.
read_only() {
  # shellcheck disable=SC2016 # for the namespace's sh
  unshare -m sh -c '
    mount --bind /tmp /tmp && mount -o remount,bind,ro /tmp &&
      mount -t tmpfs -o ro,size=4k tmpfs /dev/shm &&
      mount --bind "$1" "$1" && mount -o remount,bind,rw "$1" || exit 99
    shift
    exec "$@"' read-only "$LOG" "$@"
}
