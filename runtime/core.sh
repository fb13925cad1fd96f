# hypothecary runtime: core
# requires: run list clock
# The command line and the state and scratch folders every other part relies on (the clock is
# runtime/clock.sh, which prebuilts use too).

hyp_usage() {
  printf '%s\n' \
    "usage: sh $0 COMMAND" \
    '' \
    'commands:' \
    '  probe liveness|readiness|startup the configured check; on failure, diagnostics in the background' \
    '  run [--trigger T] [--only NAME]  run the hypotheses now; report on stdout' \
    '  watch [--only NAME]              run the periodic plugins at their intervals until TERM' \
    '  list                             plugins, triggers and the chain graph' \
    '  version                          compiler version and config hash' \
    '' \
    'environment: HYP_STATE_DIR, HYP_TRIGGER, HYP_CONTAINER_LOG, HYP_MAX_PARALLEL' >&2
}

# hyp_fail_usage MESSAGE: a usage error (exit 2), as SPEC.md asks of any unknown command.
hyp_fail_usage() {
  printf 'hypothecary: %s\n' "$1" >&2
  hyp_usage
  exit 2
}

# hyp_get NAME: sets hyp_value to the variable NAME (a run's per-plugin state, e.g. _hyp_parent_3).
hyp_get() {
  eval "hyp_value=\${$1:-}"
}

# hyp_duration_text MS: 60000 -> 60s, 1500 -> 1500ms.
hyp_duration_text() {
  if [ $(($1 % 1000)) -eq 0 ]; then printf '%ss' $(($1 / 1000)); else printf '%sms' "$1"; fi
}

# hyp_state_dir: sets hyp_state to the runner's state folder: HYP_STATE_DIR, else the first of
# $TMPDIR, /tmp and /dev/shm that lets us make a hypothecary folder there.
hyp_state_dir() {
  # Assigned inside the loop: yash keeps a for loop's variable local to the loop (forlocal).
  for _hyp_state_try in "${HYP_STATE_DIR:-}" "${TMPDIR:-/tmp}/hypothecary" /tmp/hypothecary /dev/shm/hypothecary; do
    [ -n "$_hyp_state_try" ] || continue
    # Written to, not `test -w`: that says yes to root on a read-only filesystem (busybox).
    # 64 KiB of it, then emptied: a full filesystem takes an empty file but not a run's files,
    # and a run there would report nothing (test/faults). (`true`, not `:`: a failed
    # redirection of a special builtin ends the shell. The braces: zsh reports a failed
    # redirection on the shell's stderr, not the command's.)
    if mkdir -p "$_hyp_state_try" 2>/dev/null &&
      dd if=/dev/zero of="$_hyp_state_try/.writable" bs=1024 count=64 2>/dev/null &&
      { true >"$_hyp_state_try/.writable"; } 2>/dev/null; then
      hyp_state=$_hyp_state_try
      return 0
    fi
  done
  return 1
}

# hyp_scratch_dir: sets hyp_scratch to a new private folder for one run, in the state folder.
# Fails, silently, when no folder can be written.
hyp_scratch_dir() {
  hyp_state_dir || return 1
  hyp_scratch="$hyp_state/run.$$"
  rm -rf "$hyp_scratch"
  hyp_scratch_sweep
  mkdir -m 700 "$hyp_scratch" 2>/dev/null
}

# hyp_scratch_sweep: the folders of runs that were killed (SIGKILL, the OOM killer) and could
# not clean up. Their plugins' sessions, still running past any deadline with no one to enforce
# it, are killed, and the folders removed. A session is ended only while one of its processes
# still carries the dead plugin's HYP_PLUGIN_DIR in its environment (a PID is not reused while
# its session has members, but a session id of long ago may be); a live run's folder is left be.
hyp_scratch_sweep() {
  for _hyp_sweep_dir in "$hyp_state"/run.*; do
    _hyp_sweep_pid=${_hyp_sweep_dir##*/run.}
    case $_hyp_sweep_pid in '' | *[!0-9]*) continue ;; esac
    if [ ! -d "$_hyp_sweep_dir" ] || hyp_pid_alive "$_hyp_sweep_pid"; then continue; fi
    for _hyp_sweep_session in "$_hyp_sweep_dir"/p*/session; do
      [ -s "$_hyp_sweep_session" ] || continue
      # shellcheck disable=SC2162 # plain read: see hyp_now_ms
      read _hyp_sweep_sid <"$_hyp_sweep_session"
      _hyp_sweep_pids=$(hyp_proc_members '' "$_hyp_sweep_sid")
      [ -n "$_hyp_sweep_pids" ] || continue
      for _hyp_sweep_member in $_hyp_sweep_pids; do
        tr '\000' '\n' <"/proc/$_hyp_sweep_member/environ" 2>/dev/null |
          grep -q -x -F "HYP_PLUGIN_DIR=${_hyp_sweep_session%/session}" || continue
        # The session leader's parent, the dead run's supervisor, goes first: it would write
        # into the folder while it is removed.
        _hyp_sweep_stat=
        # shellcheck disable=SC2162 # plain read: see hyp_now_ms
        read _hyp_sweep_stat 2>/dev/null <"/proc/$_hyp_sweep_sid/stat"
        _hyp_sweep_stat=${_hyp_sweep_stat##*") "}
        # shellcheck disable=SC2086 # the fields of /proc/PID/stat, split on purpose
        set -- $_hyp_sweep_stat
        [ "${2:-1}" -le 1 ] || kill -s KILL "$2" 2>/dev/null
        # shellcheck disable=SC2086 # a list of PIDs, split on purpose
        kill -s KILL $_hyp_sweep_pids 2>/dev/null
        break
      done
    done
    rm -rf "$_hyp_sweep_dir"
  done
}

hyp_main() {
  # Byte semantics for awk and sort everywhere: reports must not depend on the host's locale.
  LC_ALL=C
  export LC_ALL
  case ${1:-} in
    run) shift; hyp_cmd_run "$@" ;;
    probe)
      [ -n "$HYP_PROBES" ] || hyp_fail_usage 'probe: this runner has no probes (add probes: to the config)'
      shift
      hyp_cmd_probe "$@"
      ;;
    watch)
      shift
      # runtime/watch.sh is compiled in only when some root is periodic (select-fragments.ts).
      command -v hyp_cmd_watch >/dev/null 2>&1 ||
        { printf 'hypothecary: watch: no plugin has trigger_type periodic (nothing to watch)\n' >&2; exit 2; }
      hyp_cmd_watch "$@"
      ;;
    list) hyp_cmd_list ;;
    version) printf 'hypothecary %s\nconfig %s%s\n' "$HYP_VERSION" "${HYP_CONFIG_PATH:+$HYP_CONFIG_PATH }" "$HYP_CONFIG_HASH" ;;
    '') hyp_fail_usage 'a command is required' ;;
    *) hyp_fail_usage "unknown command: $1" ;;
  esac
}
