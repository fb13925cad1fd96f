#!/usr/bin/env bats
# `hypothecary k8s` output run by podman kube play: the ConfigMap plus a Pod made of a Deployment
# with the output's patches applied (test/e2e/k8s-pod.mjs, no kubectl). kube play turns only the
# livenessProbe into a health check (see README.md); tests fire it with e2e_healthcheck.

bats_require_minimum_version 1.5.0

setup_file() { load lib && e2e_setup_file; }
teardown_file() { load lib && e2e_teardown_file; }
setup() { load lib && e2e_setup; }
teardown() { load lib && e2e_cleanup; }

# hyp_k8s CONFIG [OPTIONS...]: `hypothecary k8s` in $HYP, into $HYP/k8s, with the harness's image
# for the CronJob and the sidecar (nothing can be pulled here).
hyp_k8s() {
  (cd "$HYP" && node "$E2E_REPO/bin/hypothecary.js" k8s "$@" -o k8s --image "$E2E_IMAGE")
}

# pod_yaml [--sidecar]: the ConfigMap and the Pod, in $HYP/pod.yaml.
pod_yaml() {
  node "$E2E_REPO/test/e2e/k8s-pod.mjs" "$HYP/k8s" "$E2E_IMAGE" "$@" >"$HYP/pod.yaml"
}

@test "k8s: the probe patch's liveness probe fails, diagnoses from the ConfigMap, and logs a valid JSON report" {
  cat >"$HYP/web.yaml" <<'EOF'
service: web
probes:
  liveness: { exec: "test -e /nonexistent", timeout: 2s }
  readiness: { exec: "true" }
report: { format: json, to: [container-log] }
plugins:
  - plugin:
      name: marker
      type: shell
      hypothesis: the marker file is missing
      shell_command: |
        echo "looked for /nonexistent as uid $(id -u)"
        test -e /nonexistent
      conditionals:
        - response: failure
          child_name: listing
      trigger: { trigger_type: [on_liveness_failure] }
  - plugin:
      name: listing
      type: shell
      shell_command: ls /etc/hypothecary
EOF
  run hyp_k8s web.yaml
  assert_success
  assert_line --partial 'probe-patch.yaml    patch of Deployment web, container web'
  pod_yaml
  e2e_kube_play "$HYP/pod.yaml"

  # The exec probe, flattened by kube play into a shell line: plain words, as k8s writes them.
  run e2e_podman inspect web-web --format '{{json .Config.Healthcheck.Test}}'
  assert_output '["CMD-SHELL","/bin/sh","/etc/hypothecary/runner.sh","probe","liveness","||","exit","1"]'
  run e2e_podman exec web-web sh -c 'ls /etc/hypothecary; grep " /etc/hypothecary " /proc/mounts'
  assert_line runner.sh
  assert_output --partial ' ro,'

  e2e_healthcheck web-web
  echo "# healthcheck: status $E2E_HC_STATUS in ${E2E_HC_MS} ms: $E2E_HC_OUTPUT" >&3
  [ "$E2E_HC_STATUS" -eq 1 ] || fail "healthcheck run exited $E2E_HC_STATUS: $E2E_HC_OUTPUT"
  [ "$E2E_HC_MS" -lt 3000 ] || fail "healthcheck run took $E2E_HC_MS ms"
  run e2e_health_log web-web
  assert_output --regexp '^1 hypothecary liveness: FAIL \(exit 1\); diagnostics started'

  # The detached diagnostics write to the container log: every line of it is the report.
  e2e_wait_log web-web '"event":"summary"'
  e2e_podman logs web-web >"$HYP/log"
  run node "$E2E_REPO/test/support/check-report.mjs" <"$HYP/log"
  assert_success
  assert_line --regexp '^marker fail - .*failure'
  assert_line --regexp '^listing pass marker '
  assert_line 'summary 2 1 1 0 0'
  assert_line --regexp '^verdict confirmed: the marker file is missing '
  run grep -c . "$HYP/log"
  assert_output 3
  grep -q '"output":"looked for /nonexistent as uid 0' "$HYP/log" || fail "no marker output in: $(cat "$HYP/log")"

  e2e_kube_down "$HYP/pod.yaml"
  run e2e_podman pod exists web
  assert_failure
}

@test "k8s --periodic sidecar: the sidecar runs watch as uid 65534 on a read-only root, reports, and stops on TERM" {
  cat >"$HYP/web.yaml" <<'EOF'
service: web
probes:
  liveness: { exec: "true" }
plugins:
  - plugin:
      name: tick
      type: shell
      hypothesis: the sidecar cannot write its scratch folder
      shell_command: 'echo "uid $(id -u), state in ${TMPDIR:-/tmp}"; touch /tmp/hyp-probe-write && ! touch /hyp-root-write 2>/dev/null'
      trigger: { trigger_type: [periodic], trigger_interval: 1s }
EOF
  run hyp_k8s web.yaml --periodic sidecar
  assert_success
  # shellcheck disable=SC2016 # the backquotes are text of the summary
  assert_line --regexp '^  sidecar-patch.yaml +patch of Deployment web: sidecar container hypothecary runs `watch`$'
  pod_yaml --sidecar
  e2e_kube_play "$HYP/pod.yaml"
  run e2e_podman ps --filter pod=web --format '{{.Names}}'
  assert_line web-web
  assert_line web-hypothecary

  # The app's probe is healthy.
  e2e_healthcheck web-web
  [ "$E2E_HC_STATUS" -eq 0 ] || fail "healthcheck run exited $E2E_HC_STATUS: $E2E_HC_OUTPUT"
  run e2e_health_log web-web
  assert_output '0 hypothecary liveness: ok'

  e2e_wait_log web-hypothecary '"event":"summary"' 15
  # The first run's lines (the log goes on growing): after watch's notice, up to its summary.
  e2e_podman logs web-hypothecary | awk '/"event":"notice"/ && !n++ { next } { print } /"event":"summary"/ { exit }' >"$HYP/run.jsonl"
  run node "$E2E_REPO/test/support/check-report.mjs" <"$HYP/run.jsonl"
  assert_success
  assert_line --regexp '^tick pass - '
  assert_line 'summary 1 1 0 0 0'
  grep -q '"output":"uid 65534, state in /tmp' "$HYP/run.jsonl" || fail "not uid 65534: $(cat "$HYP/run.jsonl")"

  run e2e_podman stop -t 10 web-hypothecary
  assert_success
  run e2e_podman inspect web-hypothecary --format '{{.State.ExitCode}}'
  assert_output 0
  run e2e_podman logs web-hypothecary
  assert_output --partial '"message":"watch stopped by TERM'
  e2e_kube_down "$HYP/pod.yaml"
}

@test "examples/Dockerfile: its final stage's CMD and HEALTHCHECK work with the runner it compiles" {
  local dockerfile=$E2E_REPO/examples/Dockerfile config health cmd
  config=$(sed -n 's|^RUN .*node bin/hypothecary.js compile \([^ ]*\) -o .*|\1|p' "$dockerfile")
  health=$(sed -n 's|^HEALTHCHECK .*CMD \[\(.*\)\]$|\1|p' "$dockerfile" | tr -d '",')
  cmd=$(sed -n 's|^CMD \[\(.*\)\]$|\1|p' "$dockerfile" | tr -d '",')
  [ -n "$config" ] && [ -n "$health" ] && [ -n "$cmd" ] || fail "cannot read $dockerfile"
  node "$E2E_REPO/bin/hypothecary.js" compile "$E2E_REPO/$config" -o "$HYP/runner.sh"
  # What the final stage adds to busybox: /www/healthz, the runner, uid 65534.
  mkdir -p "$HYP/www" && echo ok >"$HYP/www/healthz"
  chmod -R a+rX "$HYP"
  # shellcheck disable=SC2086 # the Dockerfile's words
  e2e_podman run -d --name web --user 65534:65534 -v "$HYP/www:/www:ro" \
    -v "$HYP/runner.sh:/etc/hypothecary/runner.sh:ro" --health-cmd "$health" --health-interval 0 \
    "$E2E_IMAGE" $cmd >/dev/null
  local tries=0
  until e2e_healthcheck web; [ "$E2E_HC_STATUS" -eq 0 ] || [ "$tries" -ge 20 ]; do
    tries=$((tries + 1))
    sleep 0.1
  done
  [ "$E2E_HC_STATUS" -eq 0 ] || fail "healthcheck run exited $E2E_HC_STATUS: $(e2e_health_log web)"
  run e2e_health_log web
  assert_output '0 hypothecary liveness: ok'

  # /healthz gone: unhealthy, and the diagnostics find the port open (the chain ends there).
  rm "$HYP/www/healthz"
  e2e_healthcheck web
  [ "$E2E_HC_STATUS" -eq 1 ] || fail "healthcheck run exited $E2E_HC_STATUS: $E2E_HC_OUTPUT"
  run e2e_health_log web
  assert_output --regexp '^1 hypothecary liveness: FAIL \(.*\); diagnostics started'
  e2e_wait_log web '"event":"summary"'
  e2e_podman logs web | grep '^{' >"$HYP/log"
  run node "$E2E_REPO/test/support/check-report.mjs" <"$HYP/log"
  assert_success
  assert_line --regexp '^web-port pass - '
  assert_line --regexp '^disk (pass|fail) - '
}
