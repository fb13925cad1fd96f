#!/usr/bin/env bats
# `runner.sh probe KIND` under the shell in $HYP_SH: the healthy path, the failing path that
# returns at once while diagnostics run detached, one run at a time, the cooldown, and the
# container log with its fallback.

setup() {
  load runner-helpers
  cd "$BATS_TEST_TMPDIR"
  export HYP_STATE_DIR="$BATS_TEST_TMPDIR/state" HYP_CONTAINER_LOG="$BATS_TEST_TMPDIR/container.log"
  export HYP_RUNNER_SHELL=$HYP_SH
  : >"$HYP_CONTAINER_LOG"
  cat >config.yaml <<YAML
service: probed
probes:
  liveness: { exec: "test -e $BATS_TEST_TMPDIR/healthy", timeout: 2s }
  readiness: { tcp: { port: 9 } }
  cooldown: ${COOLDOWN:-1ms}
plugins:
  - plugin:
      name: slow-diagnosis
      type: shell
      hypothesis: the app is wedged
      shell_command: "echo diagnosing; sleep ${DIAGNOSIS_SECONDS:-3}; echo wedged; exit 1"
      trigger: { trigger_type: [on_liveness_failure] }
YAML
  hyp_compile config.yaml runner.sh
}

teardown() {
  # A detached run of this test must not outlive it: it leads a session of its own.
  if [ -s "$HYP_STATE_DIR/diagnostics.lock/pid" ]; then
    pkill -KILL -s "$(cat "$HYP_STATE_DIR/diagnostics.lock/pid")" 2>/dev/null || true
  fi
}

# wait_for_summary: the detached run's summary in the container log (up to 15 s).
wait_for_summary() {
  for _ in $(seq 1 150); do
    grep -q '"event":"summary"' "$HYP_CONTAINER_LOG" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

@test "a healthy probe answers one line, exit 0, and writes nothing" {
  touch healthy
  run hyp_runner runner.sh probe liveness
  assert_success
  assert_output "hypothecary liveness: ok"
  [ ! -e "$HYP_STATE_DIR" ] || fail "the healthy path wrote $(ls -A "$HYP_STATE_DIR")"
}

@test "a failing probe returns at once, holding no stream, while the diagnosis runs detached" {
  start=$(now_ms)
  # Through a pipe, as a kubelet's exec reads it: cat ends only when every writer has closed.
  run sh -c '$1 runner.sh probe liveness | cat' _ "$HYP_SH"
  elapsed=$(($(now_ms) - start))
  assert_output --regexp '^hypothecary liveness: FAIL \(exit 1\); diagnostics started'
  [ "${#lines[@]}" -eq 1 ]
  [ "$elapsed" -lt 1000 ] || fail "the probe took ${elapsed} ms"
  run hyp_runner runner.sh probe liveness
  assert_failure 1
  wait_for_summary || fail "no report in the container log"
  run sh -c 'node "$1" <"$2"' _ "$REPO/test/support/check-report.mjs" "$HYP_CONTAINER_LOG"
  assert_success
  assert_line "slow-diagnosis fail - failure,exit_1 -"
  assert_line "verdict confirmed: the app is wedged (slow-diagnosis failed: wedged)"
}

@test "50 probe failures within 5 s start exactly one run, and the report counts the rest" {
  for _ in $(seq 1 50); do hyp_runner runner.sh probe liveness >>probe.out || true; done
  [ "$(grep -c 'diagnostics started' probe.out)" -eq 1 ] || fail "$(sort probe.out | uniq -c)"
  wait_for_summary || fail "no report in the container log"
  [ "$(grep -c '"event":"summary"' "$HYP_CONTAINER_LOG")" -eq 1 ]
  run sh -c 'node "$1" <"$2"' _ "$REPO/test/support/check-report.mjs" "$HYP_CONTAINER_LOG"
  assert_line "suppressed 49"
}

@test "after the lock holder is SIGKILLed, the next failure starts a run again" {
  run hyp_runner runner.sh probe liveness
  assert_output --partial "diagnostics started"
  holder=$(cat "$HYP_STATE_DIR/diagnostics.lock/pid")
  # The holder leads a session of its own: end it and everything it started, and nothing else.
  pkill -KILL -s "$holder"
  run hyp_runner runner.sh probe liveness
  assert_output --partial "diagnostics started"
}

@test "within the cooldown a failure starts no run, and says so" {
  COOLDOWN=60s DIAGNOSIS_SECONDS=0 setup
  run hyp_runner runner.sh probe liveness
  assert_output --partial "diagnostics started"
  wait_for_summary
  sleep 0.3
  run hyp_runner runner.sh probe liveness
  assert_failure 1
  assert_output --regexp 'diagnostics not started: in cooldown, last run [0-9]+s ago$'
}

@test "a container log that cannot be written: the report goes to the state folder, with a notice" {
  DIAGNOSIS_SECONDS=0
  export HYP_CONTAINER_LOG="$BATS_TEST_TMPDIR/no/such/folder/log"
  run hyp_runner runner.sh probe liveness
  assert_output --partial "diagnostics started"
  for _ in $(seq 1 100); do grep -qs '"event":"summary"' "$HYP_STATE_DIR/report.jsonl" && break; sleep 0.1; done
  run sh -c 'node "$1" <"$2"' _ "$REPO/test/support/check-report.mjs" "$HYP_STATE_DIR/report.jsonl"
  assert_success
  assert_line --partial "notice cannot write the container log $HYP_CONTAINER_LOG"
}

@test "probe usage: an unknown kind, an unconfigured one, a runner without probes" {
  run hyp_runner runner.sh probe sideways
  assert_failure 2
  run hyp_runner runner.sh probe startup
  assert_failure 2
  assert_output --partial "no startup probe is configured"
  printf 'plugins:\n  - plugin: { name: x, type: shell, shell_command: "true" }\n' >bare.yaml
  hyp_compile bare.yaml bare.sh
  run hyp_runner bare.sh probe liveness
  assert_failure 2
  assert_output --partial "this runner has no probes"
}

@test "tcp and exec probes report why they failed" {
  run hyp_runner runner.sh probe readiness
  assert_failure 1
  assert_output --regexp '^hypothecary readiness: FAIL \(127\.0\.0\.1:9 refused or did not answer within 1s\)'
}

@test "an exec check that overruns its timeout is killed with its children, and the probe says so" {
  mark="probe-overrun-$$-$RANDOM"
  cat >config.yaml <<YAML
service: probed
probes:
  liveness: { exec: "sh -c 'sleep 30; : $mark' & sleep 31; : $mark", timeout: 1s }
plugins:
  - plugin: { name: noop, type: shell, shell_command: "true", trigger: { trigger_type: [manual] } }
YAML
  hyp_compile config.yaml runner.sh
  start=$(now_ms)
  run sh -c '$1 runner.sh probe liveness | cat' _ "$HYP_SH"
  elapsed=$(($(now_ms) - start))
  assert_output --regexp '^hypothecary liveness: FAIL \(timed out after 1s\)'
  [ "$elapsed" -ge 900 ] && [ "$elapsed" -lt 2500 ] || fail "the probe took ${elapsed} ms"
  sleep 0.2
  run live_processes "$mark"
  assert_failure 1
}

@test "an exec check sees the exit status and the shell syntax sh -c would" {
  cat >config.yaml <<'YAML'
service: probed
probes:
  liveness: { exec: "set -- a b; [ $# -eq 2 ] && case x in x) exit 7 ;; esac", timeout: 1s }
plugins:
  - plugin: { name: noop, type: shell, shell_command: "true", trigger: { trigger_type: [manual] } }
YAML
  hyp_compile config.yaml runner.sh
  run hyp_runner runner.sh probe liveness
  assert_failure 1
  assert_output --regexp '^hypothecary liveness: FAIL \(exit 7\)'
}

@test "a check of test builtins runs in the probe's shell: globs and \${VAR:-default} as sh -c reads them" {
  cat >config.yaml <<YAML
service: probed
probes:
  liveness: { exec: 'test -d "\${PROBE_DIR:-$BATS_TEST_TMPDIR}" && [ -e $BATS_TEST_TMPDIR/heal* ]' }
plugins:
  - plugin: { name: noop, type: shell, shell_command: "true", trigger: { trigger_type: [manual] } }
YAML
  hyp_compile config.yaml runner.sh
  grep -q '^  hyp_probe_inline ' runner.sh || fail "the check is not inline: $(grep -A1 '^hyp_probe_liveness' runner.sh)"
  touch healthy
  run hyp_runner runner.sh probe liveness
  assert_success
  assert_output 'hypothecary liveness: ok'
  PROBE_DIR=/nonexistent run hyp_runner runner.sh probe liveness
  assert_failure 1
  assert_output --regexp '^hypothecary liveness: FAIL \(exit 1\)'
}
