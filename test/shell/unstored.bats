#!/usr/bin/env bats
# Runners with nowhere to write (runtime/unstored.sh): a read-only root where none of
# HYP_STATE_DIR, $TMPDIR, /tmp and /dev/shm can be written. `run` still runs the hypotheses and
# reports; `probe` still starts one diagnostics run at a time, and none within the cooldown.
# Each runner runs in a mount namespace (unshare -m, as root) where /tmp is read-only and
# /dev/shm an empty read-only tmpfs; only the folder of the container log can be written.

setup() {
  load runner-helpers
  cd "$BATS_TEST_TMPDIR"
  [ "$(id -u)" = 0 ] || skip "needs root, for a mount namespace with a read-only /tmp"
  LOG=$BATS_TEST_TMPDIR/log
  mkdir -p "$LOG"
  : >"$LOG/container.log"
  export HYP_CONTAINER_LOG=$LOG/container.log HYP_RUNNER_SHELL=$HYP_SH TMPDIR=/tmp
  unset HYP_STATE_DIR
  MARK="unstored-$$-$BATS_TEST_NUMBER-$RANDOM"
}

teardown() {
  # A probe's run lingers until its cooldown is over: end it and all it started.
  local hash
  hash=$(sed -n "s/^HYP_CONFIG_HASH='\(.*\)'$/\1/p" runner.sh 2>/dev/null)
  [ -z "$hash" ] || grep -l -s -a -F "HYP_UNSTORED_RUN=$hash" /proc/[0-9]*/environ | cut -d/ -f3 | xargs -r kill -KILL 2>/dev/null || true
  pkill -KILL -f "$MARK" 2>/dev/null || true
}

@test "run with nowhere to write: a notice, each plugin in turn within its deadline, a valid report" {
  cat >config.yaml <<YAML
service: read-only
plugins:
  - plugin:
      name: first
      type: shell
      hypothesis: the first check fails
      shell_command: "echo 'ünï ☃'; [ ! -w /tmp ] && echo 'no /tmp'; exit 3"
  - plugin:
      name: hangs
      type: shell
      shell_command: "sh -c 'sleep 30; : $MARK' & sleep 31; : $MARK"
      trigger: { trigger_timeout: 1s }
  - plugin: { name: unreached, type: shell, shell_command: "true", conditionals: [ { response: success, child_name: port } ] }
  - plugin: { name: port, type: prebuilt, prebuilt: TCP, with: { port: 9 } }
  - plugin: { name: beside, type: shell, parallel: true, shell_command: "echo fine" }
YAML
  hyp_compile config.yaml runner.sh
  # Shows that a state folder is really out of reach: this runner could not make one.
  run read_only sh -c 'mkdir /tmp/hypothecary 2>/dev/null || mkdir /dev/shm/hypothecary 2>/dev/null || echo none'
  assert_output none
  start=$(now_ms)
  read_only $HYP_SH runner.sh run >report.jsonl 2>err || true
  elapsed=$(($(now_ms) - start))
  [ ! -s err ] || fail "stderr: $(cat err)"
  run head -n 1 report.jsonl
  assert_output --partial '"event":"notice"'
  assert_output --partial 'no writable folder for run state'
  run node "$REPO/test/support/check-report.mjs" <report.jsonl
  assert_success
  assert_line 'first fail - failure,exit_3 -'
  assert_line 'hangs timeout - timeout,failure -'
  assert_line 'unreached pass - success,exit_0 -'
  assert_line 'port skipped unreached skipped -'
  assert_line 'beside pass - success,exit_0 -'
  assert_line 'summary 5 2 1 1 1'
  # Held in a variable, the output is ASCII: JSON escapes for the rest.
  grep -q -F '"output":"\u00fcn\u00ef \u2603\nno /tmp"' report.jsonl || fail "$(grep first report.jsonl)"
  grep -q -E '"verdict":"confirmed: the first check fails \(first failed: no /tmp\); hangs timed out after 1s(: Killed)?\. ruled out: unreached \(passed\); beside \(passed\)"' report.jsonl ||
    fail "$(grep summary report.jsonl)"
  [ "$elapsed" -lt 5000 ] || fail "the run took $elapsed ms"
  sleep 0.2
  run live_processes "$MARK"
  assert_failure 1
}

@test "probe with nowhere to write: one run at a time and none in the cooldown; the report reaches the log" {
  cat >config.yaml <<YAML
service: read-only
probes:
  liveness: { exec: "test -e $BATS_TEST_TMPDIR/healthy" }
  cooldown: 3s
plugins:
  - plugin:
      name: slow
      type: shell
      hypothesis: the app is wedged
      shell_command: "sleep 1; echo wedged; exit 1"
      trigger: { trigger_type: [on_liveness_failure] }
YAML
  hyp_compile config.yaml runner.sh
  start=$(now_ms)
  run read_only $HYP_SH runner.sh probe liveness
  assert_failure 1
  assert_output 'hypothecary liveness: FAIL (exit 1); diagnostics started, without a state folder (none of HYP_STATE_DIR, TMPDIR, /tmp, /dev/shm is writable; report to container-log)'
  run read_only $HYP_SH runner.sh probe liveness
  assert_output 'hypothecary liveness: FAIL (exit 1); diagnostics not started: already running or in cooldown (no writable state folder)'

  for _ in $(seq 1 100); do
    grep -q '"event":"summary"' "$HYP_CONTAINER_LOG" && break
    sleep 0.1
  done
  run node "$REPO/test/support/check-report.mjs" <"$HYP_CONTAINER_LOG"
  assert_success
  assert_line 'slow fail - failure,exit_1 -'
  assert_line --regexp '^notice no writable folder for run state'
  # The run is over, but its cooldown is not.
  [ $(($(now_ms) - start)) -lt 2500 ] || skip "too slow to probe within the cooldown"
  run read_only $HYP_SH runner.sh probe liveness
  assert_output --partial 'diagnostics not started: already running or in cooldown'
  # After the cooldown, a failure starts a run again.
  sleep $(((3600 - ($(now_ms) - start)) / 1000 + 1))
  run read_only $HYP_SH runner.sh probe liveness
  assert_output --partial 'diagnostics started, without a state folder'
}
