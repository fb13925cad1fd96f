# Shared by the bats files that drive compiled runners. The shell under test is $HYP_SH (split
# into words: "bash --posix", "zsh --emulate sh"); the compiler runs under node as users run it.

REPO=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
HYP_SH=${HYP_SH:-sh}
load "$REPO/node_modules/bats-support/load.bash"
load "$REPO/node_modules/bats-assert/load.bash"

# hyp_compile CONFIG RUNNER [OPTION...]: compiles CONFIG to RUNNER, failing on any diagnostic.
# With HYP_COMPILE_CACHE (a folder; test/shell/run-matrix.sh shares one among its shells), a
# clean compile is kept under a key of everything it can depend on: the compiler's arguments and
# the bytes of every file in the config's folder (scripts, packs). Each shell then does not pay
# the ~1 s of CPU a cold compile costs for the same runner bytes again.
hyp_compile() {
  _hyp_compile_config=$1 _hyp_compile_runner=$2
  shift 2
  if [ -z "${HYP_COMPILE_CACHE:-}" ]; then
    node "$REPO/bin/hypothecary.js" compile "$_hyp_compile_config" -o "$_hyp_compile_runner" "$@"
    return
  fi
  _hyp_compile_key=$(
    {
      printf '%s\0' "$_hyp_compile_config" "$_hyp_compile_runner" "$@"
      cd "$(dirname "$_hyp_compile_config")" &&
        find . -maxdepth 3 -type f ! -path "./${_hyp_compile_runner#./}" -print0 | LC_ALL=C sort -z | xargs -0r sha256sum
    } | sha256sum | cut -c1-64
  )
  _hyp_compile_kept=$HYP_COMPILE_CACHE/$_hyp_compile_key
  if [ ! -f "$_hyp_compile_kept.sh" ]; then
    node "$REPO/bin/hypothecary.js" compile "$_hyp_compile_config" -o "$_hyp_compile_runner" "$@" 2>"$_hyp_compile_kept.$$.err" || {
      cat "$_hyp_compile_kept.$$.err" >&2
      rm -f "$_hyp_compile_kept.$$.err"
      return 1
    }
    cp "$_hyp_compile_runner" "$_hyp_compile_kept.$$.sh"
    mv "$_hyp_compile_kept.$$.err" "$_hyp_compile_kept.err"
    mv "$_hyp_compile_kept.$$.sh" "$_hyp_compile_kept.sh"
  fi
  cat "$_hyp_compile_kept.err" >&2
  cp "$_hyp_compile_kept.sh" "$_hyp_compile_runner"
}

# live_processes PATTERN: pgrep -f for processes still alive. A killed process stays a zombie
# until its new parent reaps it, which a loaded machine may do late; a zombie runs nothing.
live_processes() {
  pgrep --runstates R,S,D,T,t -f "$1"
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
