# hypothecary runtime: bounded
# requires: proc
# A deadline for one command, without a `timeout` program: used by the probe's checks (where a
# healthy probe must cost little more than the check) and by runs that have no folder for a
# supervisor's files.

# hyp_bounded SECONDS COMMAND...: COMMAND in a subshell, without stdin, its output where the
# caller's goes, within SECONDS; sets hyp_bounded_late when it was ended for running over
# (status 124). The deadline is a watchdog beside the command, not a program in front of it: a
# command that ends at once costs two forks, and the watchdog's `sleep` starts while it runs.
hyp_bounded() {
  hyp_bounded_late=
  hyp_bounded_secs=$1
  shift
  trap 'hyp_bounded_late=1' USR1
  ("$@") </dev/null &
  hyp_bounded_pid=$!
  # The watchdog tells this shell: $$, unless a caller in a subshell set hyp_bounded_self.
  # shellcheck disable=SC2031 # set in that subshell, for it
  hyp_bounded_watchdog "$hyp_bounded_pid" "${hyp_bounded_self:-$$}" </dev/null >/dev/null 2>&1 &
  hyp_bounded_dog=$!
  # 2>/dev/null: bash reports a command the watchdog killed ("Killed ...") on its stderr.
  wait "$hyp_bounded_pid" 2>/dev/null
  hyp_bounded_status=$?
  # Ignored rather than reset: a watchdog firing just as the command ends must not kill us.
  trap '' USR1
  if [ -n "$hyp_bounded_late" ]; then
    # bash's `wait` returns at the trapped signal, before the watchdog's kill: reap both
    # quietly, or bash announces them later ("Killed ...") wherever stderr is by then.
    wait "$hyp_bounded_pid" 2>/dev/null
    wait "$hyp_bounded_dog" 2>/dev/null
    return 124
  fi
  hyp_bounded_stop
  return "$hyp_bounded_status"
}

# hyp_bounded_here: makes this shell the one the watchdog tells, for a caller in a subshell or a
# background job, where $$ still names the parent: its own PID, read from /proc/self (a builtin
# read forks nothing, so /proc/self is this shell). Without /proc the watchdog tells no one, and
# the command ends killed rather than late.
hyp_bounded_here() {
  # shellcheck disable=SC2162 # plain read: see hyp_now_ms
  read hyp_bounded_self _hyp_bounded_rest 2>/dev/null </proc/self/stat || hyp_bounded_self=none
}

# hyp_bounded_stop: ends the watchdog, and its sleep first. A KILL, not a TERM it could trap: in
# mksh, posh and yash a trap waits for the sleep, and meanwhile the watchdog holds copies of our
# stdout that those shells keep open (a kubelet's exec would wait for them). The sleep is read
# from /proc, where the kernel lists a process's children.
hyp_bounded_stop() {
  # Stopped first, it cannot start its sleep between our look and our kill.
  kill -STOP "$hyp_bounded_dog" 2>/dev/null
  hyp_bounded_kids=
  # shellcheck disable=SC2162 # plain read: see hyp_now_ms
  read hyp_bounded_kids 2>/dev/null <"/proc/$hyp_bounded_dog/task/$hyp_bounded_dog/children"
  # shellcheck disable=SC2086 # a list of PIDs, split on purpose
  kill -KILL $hyp_bounded_kids "$hyp_bounded_dog" 2>/dev/null
  # Reaped here: bash would announce the kill, mksh would see a stopped job at exit.
  wait "$hyp_bounded_dog" 2>/dev/null
}

# hyp_bounded_watchdog PID WHOM: in the background, sleeps through the deadline, then tells WHOM
# (USR1; `none`: no one) and kills PID with everything it started. The sleep's output goes to
# /dev/null of its own accord: posh hands a background function's children the caller's stdout.
hyp_bounded_watchdog() {
  sleep "$hyp_bounded_secs" >/dev/null 2>&1 || exit 0
  [ "$2" = none ] || kill -USR1 "$2"
  hyp_proc_signal KILL "$1"
  kill -KILL "$1"
}
