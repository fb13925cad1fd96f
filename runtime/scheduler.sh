# hypothecary runtime: scheduler
# requires: proc report
# Runs the chains. A plugin is queued when a parent's conditional names it (roots are queued by
# `run`), runs once per run however often it is reached, and starts as soon as it may:
# `parallel` plugins alongside each other, any other plugin alone, in declaration order.
# One loop polls the supervisors' `done` files and enforces deadlines; /proc/uptime makes the
# clock free, so a tick costs one `sleep`.
#
# Per plugin N the run keeps: _hyp_state_N (queued, running, done), _hyp_parent_N (the number of
# the plugin whose conditional reached it first; 0 for roots), _hyp_pid_N (its supervisor),
# _hyp_parent_name_N, _hyp_deadline_N and _hyp_killed_N (milliseconds on the hyp_now_ms clock),
# _hyp_status_N and _hyp_http_N.

hyp_schedule() {
  hyp_schedule_reset
  : "${HYP_MAX_PARALLEL:=32}"
  hyp_proc_tools
  while :; do
    hyp_start_ready
    [ "$hyp_running_count" -gt 0 ] || break
    sleep "$hyp_tick"
    hyp_reap
  done
}

# hyp_schedule_reset: nothing running, nothing ran, every count at 0: how a run starts (also
# one with no state folder, runtime/unstored.sh).
hyp_schedule_reset() {
  hyp_running='' hyp_running_count=0 hyp_exclusive='' hyp_ran=''
  hyp_count_total=0 hyp_count_passed=0 hyp_count_failed=0 hyp_count_timed_out=0 hyp_count_skipped=0
}

# hyp_queue N PARENT: N is reached; queue it unless this run has already reached it.
hyp_queue() {
  hyp_get "_hyp_state_$1"
  [ -z "$hyp_value" ] || return 0
  eval "_hyp_state_$1=queued _hyp_parent_$1=$2"
  _hyp_queue_list=
  _hyp_queue_placed=
  for _hyp_queue_i in $hyp_ready; do
    if [ -z "$_hyp_queue_placed" ] && [ "$_hyp_queue_i" -gt "$1" ]; then
      _hyp_queue_list="$_hyp_queue_list $1"
      _hyp_queue_placed=1
    fi
    _hyp_queue_list="$_hyp_queue_list $_hyp_queue_i"
  done
  [ -n "$_hyp_queue_placed" ] || _hyp_queue_list="$_hyp_queue_list $1"
  hyp_ready=$_hyp_queue_list
}

# hyp_start_ready: starts the queued plugins that may start now.
hyp_start_ready() {
  [ -z "$hyp_exclusive" ] || return 0
  _hyp_start_waiting=
  for _hyp_start_i in $hyp_ready; do
    "hyp_plugin_$_hyp_start_i"
    if [ -z "$hyp_exclusive" ] && [ "$hyp_parallel" = 1 ] && [ "$hyp_running_count" -lt "$HYP_MAX_PARALLEL" ]; then
      hyp_launch "$_hyp_start_i"
    elif [ "$hyp_parallel" != 1 ] && [ "$hyp_running_count" -eq 0 ]; then
      hyp_exclusive=$_hyp_start_i
      hyp_launch "$_hyp_start_i"
    else
      _hyp_start_waiting="$_hyp_start_waiting $_hyp_start_i"
    fi
  done
  hyp_ready=$_hyp_start_waiting
}

# hyp_launch N: starts plugin N (its attributes loaded) under a supervisor: a background subshell
# that runs the action in a further subshell, with no stdin and its output in a file, then
# writes `exit` ("STATUS START_MS END_MS") and, last, the empty `done` the scheduler polls for.
# The supervisor's own stderr goes to a file: dash, bash and busybox announce a killed child
# there ("Terminated"), which is not the report's business.
hyp_launch() {
  _hyp_launch_dir="$hyp_scratch/p$1"
  mkdir "$_hyp_launch_dir" || return 0
  hyp_parent_name "$1"
  hyp_now_ms
  eval "_hyp_state_$1=running _hyp_deadline_$1=$((hyp_ms + hyp_timeout_ms)) _hyp_killed_$1="
  hyp_supervise "$1" "$_hyp_launch_dir" 2>"$_hyp_launch_dir/supervisor" &
  eval "_hyp_pid_$1=\$!"
  hyp_running="$hyp_running $1"
  hyp_running_count=$((hyp_running_count + 1))
}

# hyp_parent_name N: sets HYP_PARENT (and _hyp_parent_name_N) to the name of the plugin whose
# conditional reached N; empty for a root. Leaves N loaded.
hyp_parent_name() {
  hyp_get "_hyp_parent_$1"
  HYP_PARENT=
  if [ "$hyp_value" -gt 0 ]; then
    "hyp_plugin_$hyp_value"
    HYP_PARENT=$hyp_name
    "hyp_plugin_$1"
  fi
  eval "_hyp_parent_name_$1=\$HYP_PARENT"
}

# hyp_supervise N DIR: the body of plugin N's supervisor (run in the background).
hyp_supervise() {
  HYP_PLUGIN_DIR=$2
  HYP_PLUGIN=$hyp_name
  export HYP_PLUGIN_DIR HYP_PLUGIN HYP_PARENT
  hyp_now_ms
  _hyp_supervise_start=$hyp_ms
  ("hyp_action_$1") </dev/null >"$HYP_PLUGIN_DIR/out" 2>&1
  _hyp_supervise_status=$?
  hyp_now_ms
  printf '%s %s %s\n' "$_hyp_supervise_status" "$_hyp_supervise_start" "$hyp_ms" >"$HYP_PLUGIN_DIR/exit"
  : >"$HYP_PLUGIN_DIR/done"
}

# hyp_reap: finishes the plugins whose supervisors are done and stops those past their deadline:
# TERM first, KILL each tick from one second later.
hyp_reap() {
  hyp_now_ms
  # The run's folder deleted under it (a cleanup of /tmp): no supervisor can report any more,
  # so stop rather than wait for files that cannot come.
  if [ ! -d "$hyp_scratch" ]; then
    printf 'hypothecary: run %s: its folder %s is gone\n' "$HYP_RUN_ID" "$hyp_scratch" >&2
    hyp_run_abort 1
  fi
  _hyp_reap_still=
  for _hyp_reap_i in $hyp_running; do
    hyp_get "_hyp_pid_$_hyp_reap_i"
    # `done` is looked at again once the supervisor is found dead: it may have written it and
    # exited between the first look and the liveness check (seen as a false 137 under load).
    if [ ! -e "$hyp_scratch/p$_hyp_reap_i/done" ] && ! hyp_pid_alive "$hyp_value" &&
      [ ! -e "$hyp_scratch/p$_hyp_reap_i/done" ]; then
      # The supervisor was killed before it could say how the plugin ended.
      printf '137 %s %s\n' "$hyp_ms" "$hyp_ms" >"$hyp_scratch/p$_hyp_reap_i/exit"
      : >"$hyp_scratch/p$_hyp_reap_i/done"
    fi
    if [ -e "$hyp_scratch/p$_hyp_reap_i/done" ]; then
      wait "$hyp_value" 2>/dev/null
      hyp_finish "$_hyp_reap_i"
      continue
    fi
    _hyp_reap_still="$_hyp_reap_still $_hyp_reap_i"
    hyp_get "_hyp_killed_$_hyp_reap_i"
    _hyp_reap_killed=$hyp_value
    if [ -z "$_hyp_reap_killed" ]; then
      hyp_get "_hyp_deadline_$_hyp_reap_i"
      [ "$hyp_ms" -lt "$hyp_value" ] && continue
      eval "_hyp_killed_$_hyp_reap_i=$hyp_ms"
      hyp_stop_plugin "$_hyp_reap_i" TERM
    elif [ "$hyp_ms" -ge $((_hyp_reap_killed + 1000)) ]; then
      hyp_stop_plugin "$_hyp_reap_i" KILL
    fi
  done
  hyp_running=$_hyp_reap_still
}

# hyp_stop_plugin N SIGNAL: signals everything plugin N started, but not its supervisor, which
# then records the status and the scheduler reports a timeout.
hyp_stop_plugin() {
  _hyp_stop_session=
  if [ -s "$hyp_scratch/p$1/session" ]; then
    # shellcheck disable=SC2162 # plain read: see hyp_now_ms
    read _hyp_stop_session <"$hyp_scratch/p$1/session"
  fi
  hyp_get "_hyp_pid_$1"
  hyp_proc_signal "$2" "$hyp_value" "$_hyp_stop_session"
}

# hyp_finish N: plugin N's supervisor is done. Reads what it left in the plugin's folder, then
# concludes the plugin.
hyp_finish() {
  "hyp_plugin_$1"
  _hyp_finish_dir="$hyp_scratch/p$1"
  # shellcheck disable=SC2162 # plain read: see hyp_now_ms
  read hyp_exit_code _hyp_finish_start _hyp_finish_end <"$_hyp_finish_dir/exit"
  hyp_duration_ms=$((_hyp_finish_end - _hyp_finish_start))
  hyp_http_status=
  if [ -s "$_hyp_finish_dir/http" ]; then
    # shellcheck disable=SC2162 # plain read: see hyp_now_ms
    while read _hyp_finish_http; do hyp_http_status=$_hyp_finish_http; done <"$_hyp_finish_dir/http"
  fi
  _hyp_finish_skipped=
  [ ! -e "$_hyp_finish_dir/skipped" ] || _hyp_finish_skipped=1
  hyp_get "_hyp_killed_$1"
  hyp_conclude "$1" "$hyp_value" "$_hyp_finish_skipped"
}

# hyp_conclude N KILLED SKIPPED: plugin N (loaded) ended with hyp_exit_code, hyp_http_status and
# hyp_duration_ms; KILLED is set when its deadline ended it, SKIPPED when it skipped itself.
# Works out its status and responses, reports it and queues the children its conditionals
# lead to.
hyp_conclude() {
  # ksh93 reports a signal as 256+n and yash as 384+n; others as 128+n.
  [ "$hyp_exit_code" -le 255 ] || hyp_exit_code=$((128 + (hyp_exit_code & 127)))
  if [ -n "$2" ]; then
    hyp_status=timeout hyp_responses='timeout failure'
    hyp_exit_code=
  elif [ -n "$3" ]; then
    hyp_status=skipped hyp_responses='skipped'
  elif [ "$hyp_exit_code" -eq 0 ]; then
    hyp_status=pass hyp_responses="success exit_0"
  elif [ "$hyp_exit_code" -eq 126 ] || [ "$hyp_exit_code" -eq 127 ]; then
    # The shell could not run the command at all: the check is broken, not the hypothesis.
    hyp_status=error hyp_responses="error failure exit_$hyp_exit_code"
  else
    hyp_status=fail hyp_responses="failure exit_$hyp_exit_code"
  fi
  case $hyp_http_status in
    [1-5][0-9][0-9]) hyp_responses="$hyp_responses http_${hyp_http_status%??}xx http_$hyp_http_status" ;;
    *) hyp_http_status= ;;
  esac
  # A plain `curl` exits 0 on a 503. The responses keep the facts (success = exit 0), but the
  # status judges the hypothesis as `curl --fail` would: an error answer is a failed check.
  case $hyp_status:$hyp_http_status in pass:[45]??) hyp_status=fail ;; esac

  eval "_hyp_state_$1=done _hyp_status_$1=$hyp_status _hyp_http_$1=$hyp_http_status"
  hyp_ran="$hyp_ran $1"
  hyp_running_count=$((hyp_running_count - 1))
  [ "$hyp_exclusive" != "$1" ] || hyp_exclusive=
  hyp_count_total=$((hyp_count_total + 1))
  case $hyp_status in
    pass) hyp_count_passed=$((hyp_count_passed + 1)) ;;
    skipped) hyp_count_skipped=$((hyp_count_skipped + 1)) ;;
    timeout) hyp_count_timed_out=$((hyp_count_timed_out + 1)) ;;
    *) hyp_count_failed=$((hyp_count_failed + 1)) ;;
  esac
  hyp_report_result "$1"

  for _hyp_conclude_edge in $hyp_edges; do
    hyp_responds "${_hyp_conclude_edge%%:*}" || continue
    _hyp_conclude_child=${_hyp_conclude_edge#*:}
    [ "$_hyp_conclude_child" = - ] || hyp_queue "$_hyp_conclude_child" "$1"
  done
}

# hyp_responds RESPONSE: does the finished plugin's run match RESPONSE (`not_X` included)?
hyp_responds() {
  case $1 in
    not_*) ! hyp_responds "${1#not_}" ;;
    *) case " $hyp_responses " in *" $1 "*) return 0 ;; *) return 1 ;; esac ;;
  esac
}
