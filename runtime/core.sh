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
    # (`true`, not `:`: a failed redirection of a special builtin ends the shell. The braces:
    # zsh reports a failed redirection on the shell's stderr, not the command's.)
    if mkdir -p "$_hyp_state_try" 2>/dev/null && { true >"$_hyp_state_try/.writable"; } 2>/dev/null; then
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
  mkdir -m 700 "$hyp_scratch" 2>/dev/null
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
