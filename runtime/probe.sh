# hypothecary runtime: probe
# requires: probe-check unstored
# `probe liveness|readiness|startup` after its check failed (the fast path in probe-check.sh
# returned). Prints one short, stable line and exits 1 at once; the `on_<kind>_failure`
# hypotheses run detached: in a session of their own, with stdin, stdout and stderr away from
# the probe's, so a kubelet's or podman's exec returns immediately. One diagnostics run at a
# time (a lock a SIGKILLed holder cannot keep), and none within the cooldown of the last.

hyp_cmd_probe() {
  case ${1:-} in
    liveness | readiness | startup) ;;
    *) hyp_fail_usage "probe: expected liveness, readiness or startup, not '${1:-}'" ;;
  esac
  case " $HYP_PROBES " in
    *" $1 "*) ;;
    *) hyp_fail_usage "probe: no $1 probe is configured (probes: ${HYP_PROBES:-none})" ;;
  esac
  [ "${hyp_probe_failed:-}" = "$1" ] || hyp_probe_fast "$1"
  hyp_probe_diagnose "$1"
  printf 'hypothecary %s: FAIL (%s); diagnostics %s\n' "$1" "$hyp_probe_reason" "$hyp_probe_started"
  exit 1
}

# hyp_probe_diagnose KIND: starts the on_KIND_failure run, detached, unless one is running or
# the last started within the cooldown. Sets hyp_probe_started to what happened, in words.
hyp_probe_diagnose() {
  if ! hyp_state_dir; then
    hyp_probe_unstored "$1"
    return 0
  fi
  hyp_probe_lock="$hyp_state/diagnostics.lock"
  if ! hyp_lock_take "$hyp_probe_lock"; then
    hyp_probe_suppressed "already running"
    return 0
  fi
  hyp_probe_now=$(date +%s)
  hyp_probe_last=0
  if [ -s "$hyp_state/last-run" ]; then
    # shellcheck disable=SC2162 # plain read: see hyp_now_ms
    read hyp_probe_last <"$hyp_state/last-run"
  fi
  if [ $((hyp_probe_now - hyp_probe_last)) -lt $((HYP_COOLDOWN_MS / 1000)) ] && [ "$hyp_probe_now" -ge "$hyp_probe_last" ]; then
    rm -rf "$hyp_probe_lock"
    hyp_probe_suppressed "in cooldown, last run $((hyp_probe_now - hyp_probe_last))s ago"
    return 0
  fi
  printf '%s\n' "$hyp_probe_now" >"$hyp_state/last-run"
  # The detached run owns the lock from here on; HYP_LOCK names it so the run releases it.
  # (Set before the call, not as `VAR=x hyp_detach`: yash does not pass variables assigned for
  # a function call on to the commands it runs, even when the function exports them.)
  HYP_LOCK=$hyp_probe_lock
  HYP_DETACHED=1
  hyp_detach "on_$1_failure"
  # Handed over to the run, unless the run is already over and the lock released (or taken by
  # another probe since, whose own PID is there).
  _hyp_probe_holder=
  # shellcheck disable=SC2162 # plain read: see hyp_now_ms
  read _hyp_probe_holder 2>/dev/null <"$hyp_probe_lock/pid"
  [ "$_hyp_probe_holder" != "$$" ] || printf '%s\n' "$hyp_detached_pid" 2>/dev/null >"$hyp_probe_lock/pid"
  hyp_probe_started="started (run in the background, report to ${HYP_REPORT_TO:-container-log})"
}

# hyp_probe_unstored KIND: no folder can hold the lock, the cooldown's clock or the count of
# suppressed failures. The run starts anyway (runtime/unstored.sh), marked in its environment:
# while it runs, and until its cooldown is over, that mark is what keeps a second one away.
hyp_probe_unstored() {
  if hyp_unstored_running; then
    hyp_probe_started="not started: already running or in cooldown (no writable state folder)"
    return 0
  fi
  HYP_UNSTORED_RUN=$HYP_CONFIG_HASH
  export HYP_UNSTORED_RUN
  HYP_DETACHED=1
  hyp_detach "on_$1_failure"
  hyp_probe_started="started, without a state folder (none of HYP_STATE_DIR, TMPDIR, /tmp, /dev/shm is writable; report to ${HYP_REPORT_TO:-container-log})"
}

# hyp_probe_suppressed WHY: counts a probe failure that started no run; the next run reports
# how many there were.
hyp_probe_suppressed() {
  printf '%s\n' "$1" >>"$hyp_state/suppressed"
  hyp_probe_started="not started: $1"
}

# hyp_detach TRIGGER: `run --trigger TRIGGER` of this runner in the background, in a session of
# its own (so a kill of the probe's group spares it) and holding none of the probe's streams.
hyp_detach() {
  # The shell that runs the diagnostics: sh, unless a test or an image names another.
  : "${HYP_RUNNER_SHELL:=sh}"
  export HYP_LOCK HYP_DETACHED
  # `exec` in the background job: yash otherwise runs it through an extra subshell that keeps
  # the probe's stdout open, and $! would name that subshell instead of the run.
  # shellcheck disable=SC2086 # the shell may come with options: "bash --posix"
  if command -v setsid >/dev/null 2>&1; then
    exec setsid $HYP_RUNNER_SHELL "$0" run --trigger "$1" </dev/null >/dev/null 2>&1 &
  else
    exec $HYP_RUNNER_SHELL "$0" run --trigger "$1" </dev/null >/dev/null 2>&1 &
  fi
  hyp_detached_pid=$!
}

# hyp_lock_take DIR: takes the lock, or takes it over from a holder that is gone (killed with
# SIGKILL, it could not clean up). The taker writes its own PID at once (the probe's, until it
# hands the lock to its run): a probe slowed down by load between its mkdir and the detached
# run's PID must not look stale (test/faults: 100 failures at once started two runs). A lock
# whose pid file is not written yet belongs to a probe between mkdir and printf: wait a second
# before calling it stale.
hyp_lock_take() {
  if mkdir "$1" 2>/dev/null; then
    printf '%s\n' "$$" 2>/dev/null >"$1/pid"
    return 0
  fi
  for _hyp_lock_try in 1 2 3 4 5; do
    if [ -s "$1/pid" ]; then
      # shellcheck disable=SC2162 # plain read: see hyp_now_ms
      read _hyp_lock_pid <"$1/pid"
      hyp_pid_alive "$_hyp_lock_pid" && return 1
      break
    fi
    sleep 0.2 2>/dev/null || sleep 1
  done
  rm -rf "$1" 2>/dev/null
  mkdir "$1" 2>/dev/null || return 1
  printf '%s\n' "$$" 2>/dev/null >"$1/pid"
}
