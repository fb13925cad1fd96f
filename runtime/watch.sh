# hypothecary runtime: watch
# requires: report proc
# `watch [--only NAME]`: the main process of a sidecar or a Job. Runs each `periodic` root on its
# own trigger_interval, counted from the start of the watch (tick k at start + k * interval, so
# lateness never accumulates), each run a `run --trigger periodic --only NAME` of this runner in
# a session of its own, with the report going where a foreground run's goes. A root whose last
# run is still going when its tick comes skips the tick and says so (`suppressed`): never two
# runs of one plugin at once. TERM, INT or HUP end every run's processes and the watch exits 0.
# It may be PID 1: signals are handled between sleeps (a background `sleep` and a `wait` that a
# trapped signal interrupts), and every child is waited for.

hyp_cmd_watch() {
  hyp_only=
  while [ $# -gt 0 ]; do
    case $1 in
      --only) [ $# -ge 2 ] || hyp_fail_usage 'watch: --only needs a plugin name'; hyp_only=$2; shift 2 ;;
      --only=*) hyp_only=${1#--only=}; shift ;;
      *) hyp_fail_usage "watch: unknown argument: $1" ;;
    esac
  done
  hyp_watch_roots=
  for _hyp_watch_root in $HYP_ROOTS; do
    "hyp_plugin_$_hyp_watch_root"
    case " $hyp_triggers " in *" periodic "*) ;; *) continue ;; esac
    [ -z "$hyp_only" ] || [ "$hyp_name" = "$hyp_only" ] || continue
    hyp_watch_roots="$hyp_watch_roots $_hyp_watch_root"
  done
  if [ -z "$hyp_watch_roots" ]; then
    [ -n "$hyp_only" ] || { printf 'hypothecary: watch: no plugin has trigger_type periodic (nothing to watch)\n' >&2; exit 2; }
    hyp_plugin_index "$hyp_only" || hyp_fail_usage "watch: no plugin is named '$hyp_only' (see: sh $0 list)"
    hyp_fail_usage "watch: $hyp_only is not a root with trigger_type periodic (see: sh $0 list)"
  fi
  # Each run is this file run again: it must be readable under the name it was started by.
  [ -r "$0" ] || { printf 'hypothecary: watch: cannot read the runner as %s (start it as: sh FILE watch)\n' "$0" >&2; exit 2; }

  if ! hyp_scratch_dir; then
    printf 'hypothecary: watch: no writable folder for run state (tried HYP_STATE_DIR, TMPDIR, /tmp, /dev/shm)\n' >&2
    exit 1
  fi
  HYP_RUN_ID="watch-$(date -u +%Y%m%dT%H%M%SZ)-$$"
  # The runs report as foreground runs of this process do (stdout is the container log), and
  # hold no probe's lock.
  unset HYP_LOCK HYP_DETACHED
  : "${HYP_RUNNER_SHELL:=sh}"
  # With whole-second sleeps only (hyp_tick 1), a tick may come up to a second late, never early.
  hyp_proc_tools
  hyp_watch_sleeper='' hyp_watch_launching=''
  trap 'hyp_watch_stop TERM' TERM
  trap 'hyp_watch_stop INT' INT
  trap 'hyp_watch_stop HUP' HUP

  hyp_now_ms
  hyp_watch_start=$hyp_ms
  _hyp_watch_what=
  for _hyp_watch_root in $hyp_watch_roots; do
    "hyp_plugin_$_hyp_watch_root"
    eval "_hyp_watch_next_$_hyp_watch_root=$hyp_watch_start _hyp_watch_pid_$_hyp_watch_root="
    _hyp_watch_what="$_hyp_watch_what, $hyp_name every $(hyp_duration_text "$hyp_interval_ms")"
  done
  hyp_watch_notice "watch started: ${_hyp_watch_what#, }"

  while :; do
    hyp_now_ms
    _hyp_watch_soonest=
    for _hyp_watch_root in $hyp_watch_roots; do
      hyp_get "_hyp_watch_next_$_hyp_watch_root"
      [ "$hyp_ms" -lt "$hyp_value" ] || hyp_watch_tick "$_hyp_watch_root"
      hyp_get "_hyp_watch_next_$_hyp_watch_root"
      [ -n "$_hyp_watch_soonest" ] && [ "$_hyp_watch_soonest" -le "$hyp_value" ] || _hyp_watch_soonest=$hyp_value
    done
    hyp_now_ms
    [ "$_hyp_watch_soonest" -le "$hyp_ms" ] || hyp_watch_sleep $((_hyp_watch_soonest - hyp_ms))
  done
}

# hyp_watch_tick N: root N's tick has come (hyp_ms is now). Starts its run, unless the last one
# is still going; then sets its next tick: the first start + k * interval after now.
hyp_watch_tick() {
  "hyp_plugin_$1"
  hyp_get "_hyp_watch_pid_$1"
  _hyp_watch_tick_pid=$hyp_value
  if [ -n "$_hyp_watch_tick_pid" ] && hyp_pid_alive "$_hyp_watch_tick_pid"; then
    hyp_get "_hyp_watch_began_$1"
    hyp_watch_suppressed "overlap: the previous run of $hyp_name (started $(((hyp_ms - hyp_value) / 1000))s ago) is still going; this tick was skipped"
  else
    # Reaps the last run (its status is in its own report).
    [ -z "$_hyp_watch_tick_pid" ] || wait "$_hyp_watch_tick_pid" 2>/dev/null
    # `exec` in the background job: $! is the run itself (yash would otherwise put a subshell
    # between), and setsid does not fork, since a background job leads no process group.
    hyp_watch_launching=1
    # shellcheck disable=SC2086 # the shell may come with options: "bash --posix"
    if [ -n "$hyp_setsid" ]; then
      exec setsid $HYP_RUNNER_SHELL "$0" run --trigger periodic --only "$hyp_name" </dev/null &
    else
      exec $HYP_RUNNER_SHELL "$0" run --trigger periodic --only "$hyp_name" </dev/null &
    fi
    eval "_hyp_watch_pid_$1=\$! _hyp_watch_began_$1=$hyp_ms"
    hyp_watch_launching=
  fi
  eval "_hyp_watch_next_$1=$((hyp_watch_start + ((hyp_ms - hyp_watch_start) / hyp_interval_ms + 1) * hyp_interval_ms))"
}

# hyp_watch_sleep MS: sleeps in the background and waits for it, so a trapped signal is handled
# at once rather than when a foreground sleep ends.
hyp_watch_sleep() {
  if [ "$hyp_tick" != 1 ]; then
    _hyp_watch_sleep_ms=$(($1 % 1000 + 1000))
    _hyp_watch_sleep_for="$(($1 / 1000)).${_hyp_watch_sleep_ms#1}"
  else
    _hyp_watch_sleep_for=$((($1 + 999) / 1000))
  fi
  # `-` until $! is recorded: a signal in between still finds the sleep (see hyp_watch_stop).
  hyp_watch_sleeper=-
  exec sleep "$_hyp_watch_sleep_for" &
  hyp_watch_sleeper=$!
  wait "$hyp_watch_sleeper"
  hyp_watch_sleeper=
}

# hyp_watch_stop SIGNAL: ends every run with all it started (the run's session, the sessions of
# its plugins, and what hangs below them), reaps them, says so, and exits 0: a stop was asked.
hyp_watch_stop() {
  _hyp_watch_last=$!
  trap '' TERM INT HUP
  [ "$hyp_watch_sleeper" != - ] || hyp_watch_sleeper=$_hyp_watch_last
  [ -z "$hyp_watch_sleeper" ] || kill -s KILL "$hyp_watch_sleeper" 2>/dev/null
  # $! too when a signal came between starting a run and recording its PID.
  _hyp_watch_stop_pids=
  _hyp_watch_stop_names=
  for _hyp_watch_root in $hyp_watch_roots; do
    hyp_get "_hyp_watch_pid_$_hyp_watch_root"
    [ -n "$hyp_value" ] || continue
    _hyp_watch_stop_pids="$_hyp_watch_stop_pids $hyp_value"
    if hyp_pid_alive "$hyp_value"; then
      "hyp_plugin_$_hyp_watch_root"
      _hyp_watch_stop_names="$_hyp_watch_stop_names, $hyp_name"
    fi
  done
  [ -z "$hyp_watch_launching" ] || _hyp_watch_stop_pids="$_hyp_watch_stop_pids $_hyp_watch_last"
  # Processes may fork while we look: look again until a pass finds none alive.
  for _hyp_watch_pass in 1 2 3 4 5 6 7 8; do
    hyp_watch_sessions "$_hyp_watch_stop_pids"
    if [ -r /proc/self/stat ]; then
      _hyp_watch_stop_members=$(hyp_proc_members "$_hyp_watch_stop_pids" "$hyp_watch_sids")
      for _hyp_watch_pid in $_hyp_watch_stop_pids; do
        ! hyp_pid_alive "$_hyp_watch_pid" || _hyp_watch_stop_members="$_hyp_watch_stop_members $_hyp_watch_pid"
      done
    else
      # Without /proc: the runs and, when setsid made them, their process groups.
      _hyp_watch_stop_members=$_hyp_watch_stop_pids
      [ -z "$hyp_setsid" ] || for _hyp_watch_pid in $_hyp_watch_stop_pids; do kill -s KILL -- "-$_hyp_watch_pid" 2>/dev/null; done
      [ "$_hyp_watch_pass" -eq 1 ] || _hyp_watch_stop_members=
    fi
    [ -n "$_hyp_watch_stop_members" ] || break
    # shellcheck disable=SC2086 # a list of PIDs, split on purpose
    kill -s KILL $_hyp_watch_stop_members 2>/dev/null
  done
  for _hyp_watch_pid in $_hyp_watch_stop_pids $hyp_watch_sleeper; do
    wait "$_hyp_watch_pid" 2>/dev/null
    rm -rf "$hyp_state/run.$_hyp_watch_pid"
  done
  _hyp_watch_stop_names=${_hyp_watch_stop_names#, }
  hyp_watch_notice "watch stopped by $1; runs interrupted: ${_hyp_watch_stop_names:-none}"
  rm -rf "$hyp_scratch"
  exit 0
}

# hyp_watch_sessions PIDS: sets hyp_watch_sids to the sessions of the runs PIDS: their own (when
# setsid made them) and those their plugins recorded in their scratch folders.
hyp_watch_sessions() {
  hyp_watch_sids=
  for _hyp_watch_pid in $1; do
    [ -z "$hyp_setsid" ] || hyp_watch_sids="$hyp_watch_sids $_hyp_watch_pid"
    for _hyp_watch_file in "$hyp_state/run.$_hyp_watch_pid"/p*/session; do
      [ -s "$_hyp_watch_file" ] || continue
      # shellcheck disable=SC2162 # plain read: see hyp_now_ms
      read _hyp_watch_session <"$_hyp_watch_file" && hyp_watch_sids="$hyp_watch_sids $_hyp_watch_session"
    done
  done
}

# hyp_watch_suppressed REASON: a tick that started no run, reported as one `suppressed` line.
hyp_watch_suppressed() {
  HYPJ_SERVICE=$HYP_SERVICE HYPJ_RUN_ID=$HYP_RUN_ID HYPJ_PLUGIN=$hyp_name HYPJ_REASON=$1 HYPJ_FORMAT=$HYP_REPORT_FORMAT \
    awk "$hyp_json_awk"'BEGIN {
      json_init()
      if (ENVIRON["HYPJ_FORMAT"] == "text") { printf "SUPPRESSED %s: %s\n", ENVIRON["HYPJ_PLUGIN"], ENVIRON["HYPJ_REASON"]; exit }
      printf "{\"event\":\"suppressed\",\"service\":%s,\"run_id\":%s,\"trigger\":\"periodic\",\"plugin\":%s,\"count\":1,\"reasons\":%s}\n",
        json_string(ENVIRON["HYPJ_SERVICE"]), json_string(ENVIRON["HYPJ_RUN_ID"]), json_string(ENVIRON["HYPJ_PLUGIN"]),
        json_string(ENVIRON["HYPJ_REASON"])
    }' >"$hyp_scratch/suppressed.line"
  hyp_emit "$hyp_scratch/suppressed.line"
}

# hyp_watch_notice MESSAGE: one `notice` line.
hyp_watch_notice() {
  hyp_emit_line "$(hyp_notice_line "$1")"
}
