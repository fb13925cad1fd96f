#!/usr/bin/env bats
# The compiled runner as the container's own health check, in the busybox-only image (no bash,
# no curl): podman fires `sh /hyp/runner.sh probe liveness`, the probe answers at once, and the
# detached diagnostics reach the container log (issue 3, items 1, 3 and 5).

bats_require_minimum_version 1.5.0

setup_file() { load lib && e2e_setup_file; }
teardown_file() { load lib && e2e_teardown_file; }
setup() { load lib && e2e_setup; }
teardown() { load lib && e2e_cleanup; }

# compile_runner DIAGNOSIS_SECONDS [COOLDOWN]: /hyp/runner.sh from a config whose liveness check
# passes only while /hyp/healthy exists, and whose diagnosis takes DIAGNOSIS_SECONDS.
compile_runner() {
  cat >"$HYP/config.yaml" <<YAML
service: e2e-probed
probes:
  liveness: { exec: "test -e /hyp/healthy" }
  cooldown: ${2:-1ms}
plugins:
  - plugin:
      name: wedged
      type: shell
      hypothesis: the app is wedged
      shell_command: "echo diagnosing as uid \$(id -u); sleep $1; echo still wedged; exit 1"
      trigger: { trigger_type: [on_liveness_failure], trigger_timeout: 30s }
  - plugin:
      name: disk
      type: shell
      parallel: true
      shell_command: "df -P / | tail -n 1"
      trigger: { trigger_type: [on_liveness_failure] }
YAML
  node "$E2E_REPO/bin/hypothecary.js" compile "$HYP/config.yaml" -o "$HYP/runner.sh"
}

# report_of NAME: the JSON report lines in NAME's log, checked against SPEC by check-report.mjs.
report_of() {
  e2e_podman logs "$1" 2>/dev/null | grep '^{' | node "$E2E_REPO/test/support/check-report.mjs"
}

# last_report_of NAME: the same, for the lines of the last run that reported its summary.
last_report_of() {
  local log run_id
  log=$(e2e_podman logs "$1" 2>/dev/null | grep '^{')
  run_id=$(printf '%s\n' "$log" | grep '"event":"summary"' | tail -n 1 | sed 's/.*"run_id":"\([^"]*\)".*/\1/')
  printf '%s\n' "$log" | grep -F "\"run_id\":\"$run_id\"" | node "$E2E_REPO/test/support/check-report.mjs"
}

# probe_burst NAME COUNT: fires COUNT liveness probes inside NAME, ten at a time, as ten
# kubelets would (one `podman exec` each would take longer than the burst may); their answers
# go to $BATS_TEST_TMPDIR/probes.out.
probe_burst() {
  # shellcheck disable=SC2016 # the script is for the container's sh
  e2e_podman exec "$1" sh -c '
    i=0
    while [ "$i" -lt "$1" ]; do
      i=$((i + 1))
      sh /hyp/runner.sh probe liveness &
      [ $((i % 10)) -ne 0 ] || wait
    done
    wait' probe-burst "$2" >"$BATS_TEST_TMPDIR/probes.out" 2>&1
}

# summaries NAME: how many runs have reported their summary in NAME's log.
summaries() {
  e2e_podman logs "$1" 2>/dev/null | grep -c '"event":"summary"' || true
}

@test "1: a failing probe answers unhealthy in under 1 s; the 10 s diagnosis reaches podman logs" {
  compile_runner 10
  e2e_run_idle p1 --health-cmd "sh /hyp/runner.sh probe liveness" --health-interval 0 -v "$HYP:/hyp:ro"
  e2e_healthcheck p1
  echo "# healthcheck: status $E2E_HC_STATUS in ${E2E_HC_MS} ms: $E2E_HC_OUTPUT" >&3
  [ "$E2E_HC_STATUS" -eq 1 ] && [ "$E2E_HC_OUTPUT" = unhealthy ] || fail "healthcheck: $E2E_HC_STATUS $E2E_HC_OUTPUT"
  [ "$E2E_HC_MS" -lt 1000 ] || fail "healthcheck run took $E2E_HC_MS ms"
  run e2e_health_log p1
  assert_output --regexp '^1 hypothecary liveness: FAIL \(exit 1\); diagnostics started'

  e2e_wait_log p1 '"event":"summary"' 20
  run report_of p1
  assert_success
  assert_line 'wedged fail - failure,exit_1 -'
  assert_line --regexp '^disk pass - success,exit_0 -$'
  assert_line 'summary 2 1 1 0 0'
  run e2e_podman logs p1
  assert_output --partial '"output":"diagnosing as uid 0\nstill wedged"'
  assert_output --partial '"trigger":"on_liveness_failure"'
  assert_output --partial '"verdict":"confirmed: the app is wedged (wedged failed: still wedged). ruled out: disk (passed)"'

  # Healthy again: the probe answers ok and starts nothing.
  e2e_podman exec p1 sh -c 'echo' >/dev/null
  touch "$HYP/healthy"
  e2e_healthcheck p1
  [ "$E2E_HC_STATUS" -eq 0 ] || fail "healthcheck: $E2E_HC_STATUS $E2E_HC_OUTPUT"
  run e2e_health_log p1
  assert_output '0 hypothecary liveness: ok'
}

@test "3: 50 probe failures within 5 s start one run; after SIGKILL of its holder the next starts one" {
  compile_runner 8
  e2e_run_idle p3 -v "$HYP:/hyp:ro"
  local start=$(e2e_now_ms)
  probe_burst p3 50
  local ms=$(($(e2e_now_ms) - start))
  echo "# 50 probes in $ms ms" >&3
  [ "$ms" -lt 5000 ] || fail "firing 50 probes took $ms ms"
  run grep -c 'diagnostics started' "$BATS_TEST_TMPDIR/probes.out"
  assert_output 1
  run grep -c 'diagnostics not started: already running' "$BATS_TEST_TMPDIR/probes.out"
  assert_output 49

  # The holder (the detached run) is SIGKILLed; its lock names it.
  run e2e_podman exec p3 sh -c 'kill -KILL "$(cat /tmp/hypothecary/diagnostics.lock/pid)"'
  assert_success
  run e2e_podman exec p3 sh /hyp/runner.sh probe liveness
  assert_failure 1
  assert_output --regexp 'diagnostics started'
  e2e_wait_log p3 '"event":"summary"' 20
  [ "$(summaries p3)" -eq 1 ] || fail "$(summaries p3) summaries: only the second run can finish"
  run last_report_of p3
  assert_success
  assert_line 'wedged fail - failure,exit_1 -'
  # The second run says what the first could not: 49 failures were suppressed meanwhile.
  assert_line 'suppressed 49'
}

@test "5: uid 1000 and a read-only root: the probe answers, and the report reaches the container log" {
  compile_runner 1
  local tmpfs
  for tmpfs in true false; do
    # Without podman's tmpfs on /tmp (Kubernetes' readOnlyRootFilesystem), /dev/shm is left.
    e2e_run_idle "p5-$tmpfs" --user 1000 --read-only --read-only-tmpfs="$tmpfs" \
      --health-cmd "sh /hyp/runner.sh probe liveness" --health-interval 0 -v "$HYP:/hyp:ro"
    e2e_healthcheck "p5-$tmpfs"
    echo "# read-only-tmpfs=$tmpfs: status $E2E_HC_STATUS in ${E2E_HC_MS} ms" >&3
    [ "$E2E_HC_STATUS" -eq 1 ] || fail "healthcheck: $E2E_HC_STATUS $E2E_HC_OUTPUT"
    [ "$E2E_HC_MS" -lt 1000 ] || fail "healthcheck run took $E2E_HC_MS ms"
    e2e_wait_log "p5-$tmpfs" '"event":"summary"' 20
    run report_of "p5-$tmpfs"
    assert_success
    assert_line 'wedged fail - failure,exit_1 -'
    run e2e_podman logs "p5-$tmpfs"
    assert_output --partial 'diagnosing as uid 1000'
    if [ "$tmpfs" = false ]; then
      run e2e_podman exec "p5-$tmpfs" ls /dev/shm
      assert_output hypothecary
    fi
  done
  touch "$HYP/healthy"
  e2e_healthcheck p5-false
  [ "$E2E_HC_STATUS" -eq 0 ] || fail "healthy probe: $E2E_HC_STATUS $E2E_HC_OUTPUT"
}

@test "5: uid 1000, a read-only root and no /tmp or /dev/shm at all: the report still reaches the log" {
  compile_runner 1 10s
  # --ipc=none: no /dev/shm mount; with --read-only-tmpfs=false, no tmpfs anywhere.
  e2e_run_idle p5-none --user 1000 --read-only --read-only-tmpfs=false --ipc=none \
    --health-cmd "sh /hyp/runner.sh probe liveness" --health-interval 0 -v "$HYP:/hyp:ro"
  run e2e_podman exec p5-none sh -c 'mkdir /tmp/x || mkdir /dev/shm/x || echo nowhere'
  assert_line nowhere
  e2e_healthcheck p5-none
  [ "$E2E_HC_STATUS" -eq 1 ] || fail "healthcheck: $E2E_HC_STATUS $E2E_HC_OUTPUT"
  [ "$E2E_HC_MS" -lt 1000 ] || fail "healthcheck run took $E2E_HC_MS ms"
  run e2e_health_log p5-none
  assert_output --partial 'diagnostics started, without a state folder'
  # A second failure while the run goes on (or cools down) starts none.
  e2e_healthcheck p5-none
  run e2e_health_log p5-none
  assert_output --partial 'diagnostics not started: already running or in cooldown'
  e2e_wait_log p5-none '"event":"summary"' 20
  run report_of p5-none
  assert_success
  assert_line --regexp '^notice no writable folder for run state'
  assert_line 'wedged fail - failure,exit_1 -'
  assert_line 'disk pass - success,exit_0 -'
  run e2e_podman logs p5-none
  assert_output --partial 'diagnosing as uid 1000'
}
