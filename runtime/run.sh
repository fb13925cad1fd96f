# hypothecary runtime: run
# requires: scheduler report proc unstored
# `run [--trigger T] [--only NAME]`: picks the roots, runs the chains, reports, and exits 0 when
# every plugin that ran passed (or was skipped), 1 otherwise.

hyp_cmd_run() {
  hyp_trigger=${HYP_TRIGGER:-}
  hyp_only=
  while [ $# -gt 0 ]; do
    case $1 in
      --trigger) [ $# -ge 2 ] || hyp_fail_usage 'run: --trigger needs a value'; hyp_trigger=$2; shift 2 ;;
      --trigger=*) hyp_trigger=${1#--trigger=}; shift ;;
      --only) [ $# -ge 2 ] || hyp_fail_usage 'run: --only needs a plugin name'; hyp_only=$2; shift 2 ;;
      --only=*) hyp_only=${1#--only=}; shift ;;
      *) hyp_fail_usage "run: unknown argument: $1" ;;
    esac
  done
  case $hyp_trigger in
    '' | on_liveness_failure | on_readiness_failure | on_startup_failure | periodic | manual) ;;
    *) hyp_fail_usage "run: unknown trigger '$hyp_trigger' (on_liveness_failure, on_readiness_failure, on_startup_failure, periodic, manual)" ;;
  esac

  hyp_ready=
  if [ -n "$hyp_only" ]; then
    hyp_plugin_index "$hyp_only" || hyp_fail_usage "run: no plugin is named '$hyp_only' (see: sh $0 list)"
    hyp_queue "$hyp_index" 0
  else
    for _hyp_run_root in $HYP_ROOTS; do
      "hyp_plugin_$_hyp_run_root"
      # Without a trigger every root runs: an operator asked for all of them.
      case " $hyp_triggers " in *" ${hyp_trigger:-$hyp_triggers} "*) hyp_queue "$_hyp_run_root" 0 ;; esac
    done
  fi

  hyp_selected=$hyp_ready
  HYP_RUN_ID="$(date -u +%Y%m%dT%H%M%SZ)-$$"
  HYP_TRIGGER=${hyp_trigger:-manual}
  # shellcheck disable=SC2090 # HYP_SERVICE is the user's text; its quotes are data
  export HYP_RUN_ID HYP_TRIGGER HYP_SERVICE
  trap 'hyp_run_abort 143' TERM
  trap 'hyp_run_abort 130' INT
  trap 'hyp_run_abort 129' HUP
  hyp_now_ms
  hyp_run_started=$hyp_ms
  hyp_sink_lines=
  if hyp_scratch_dir; then
    [ -z "${HYP_SINKS:-}" ] || hyp_sink_lines="$hyp_scratch/sink-lines"
    [ -z "${HYP_OBSERVE_HTTP:-}" ] || hyp_observe_setup
    hyp_schedule
  else
    hyp_scratch=
    hyp_run_unstored
  fi
  hyp_report_unreached
  hyp_report_suppressed
  hyp_now_ms
  hyp_report_summary $((hyp_ms - hyp_run_started))
  # The report is out (container log first); now the sinks, each within its deadlines.
  [ -z "${HYP_SINKS:-}" ] || hyp_sinks_deliver
  hyp_run_cleanup
  trap - TERM INT HUP
  [ -z "${HYP_UNSTORED_RUN:-}" ] || hyp_unstored_linger "$hyp_run_started"
  [ "$hyp_count_failed" -eq 0 ] && [ "$hyp_count_timed_out" -eq 0 ]
}

# hyp_plugin_index NAME: sets hyp_index to the plugin's number.
hyp_plugin_index() {
  hyp_index=1
  while [ "$hyp_index" -le "$HYP_PLUGIN_COUNT" ]; do
    "hyp_plugin_$hyp_index"
    [ "$hyp_name" = "$1" ] && return 0
    hyp_index=$((hyp_index + 1))
  done
  return 1
}

# hyp_run_abort STATUS: TERM/INT/HUP during a run. Ends every plugin's process tree and leaves
# nothing behind. Called directly, not through an EXIT trap: mksh and posh skip EXIT traps when
# a signal trap exits.
hyp_run_abort() {
  for _hyp_abort_i in $hyp_running; do
    hyp_stop_plugin "$_hyp_abort_i" KILL
  done
  # Without a state folder the plugin runs below this shell, in a pipeline of its own.
  [ -z "${hyp_unstored:-}" ] || hyp_proc_signal KILL "$$"
  printf 'hypothecary: run %s interrupted; %s plugin(s) stopped\n' "$HYP_RUN_ID" "$hyp_running_count" >&2
  hyp_run_cleanup
  exit "$1"
}

# hyp_run_cleanup: removes the run's scratch folder and releases the diagnostics lock that a
# probe handed to this run (HYP_LOCK).
hyp_run_cleanup() {
  [ -z "$hyp_scratch" ] || rm -rf "$hyp_scratch"
  [ -z "${HYP_LOCK:-}" ] || rm -rf "$HYP_LOCK"
}
