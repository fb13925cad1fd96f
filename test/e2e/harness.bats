#!/usr/bin/env bats
# The container harness itself (test/e2e/lib.bash): a busybox-only image under podman, exec
# health checks fired by hand whose detached jobs reach the container log through /proc/1/fd/1,
# kube play of a Pod with a ConfigMap-mounted probe, and what a non-root, read-only container
# allows. The runner's own probe is tested elsewhere; these probes are tiny scripts.

bats_require_minimum_version 1.5.0

setup_file() { load lib && e2e_setup_file; }
teardown_file() { load lib && e2e_teardown_file; }
setup() { load lib && e2e_setup; }
teardown() { load lib && e2e_cleanup; }

# write_probe FILE TAG: a probe that starts a detached job writing "TAG uid=N" to PID 1's stdout
# (the container log), then says "probe: unhealthy" and exits 1 at once.
write_probe() {
  cat >"$1" <<EOF
#!/bin/sh
( sleep 0.2; echo "$2 uid=\$(id -u)" >/proc/1/fd/1 ) </dev/null >/dev/null 2>&1 &
echo "probe: unhealthy"
exit 1
EOF
}

@test "a: the busybox image runs sh and wget and has no bash, curl or coreutils" {
  run e2e_podman run --rm "$E2E_IMAGE" sh -c 'echo hi; wget --help'
  assert_success
  assert_line --index 0 hi
  assert_line --partial 'BusyBox v1.'
  assert_line --partial 'Usage: wget'

  run e2e_podman run --rm "$E2E_IMAGE" sh -c '
    for t in sh wget nc awk setsid ps sleep timeout kill id; do
      [ "$(readlink "/bin/$t")" = busybox ] || echo "no applet $t"
    done
    for t in bash curl; do command -v "$t" && echo "found $t"; done
    ls /usr/bin /usr/sbin /sbin; ls -ld /tmp | cut -c1-10; ulimit -n
    grep -c . /etc/passwd; id app'
  assert_success
  refute_output --partial 'no applet'
  refute_output --partial 'found'
  assert_output --partial 'drwxrwxrwt'
  assert_output --partial 'uid=1000(app) gid=1000(app)'
  assert_line 1024
}

@test "b: podman healthcheck run reports a failing exec probe at once; its detached job reaches podman logs" {
  write_probe "$HYP/probe.sh" "hyp-e2e-b detached"
  e2e_run_idle hb --health-cmd "sh /hyp/probe.sh" --health-interval 0 -v "$HYP:/hyp:ro"
  e2e_healthcheck hb
  echo "# healthcheck: status $E2E_HC_STATUS in ${E2E_HC_MS} ms: $E2E_HC_OUTPUT" >&3
  [ "$E2E_HC_STATUS" -eq 1 ] || fail "healthcheck run exited $E2E_HC_STATUS: $E2E_HC_OUTPUT"
  [ "$E2E_HC_OUTPUT" = unhealthy ] || fail "healthcheck run said: $E2E_HC_OUTPUT"
  [ "$E2E_HC_MS" -lt 3000 ] || fail "healthcheck run took $E2E_HC_MS ms"
  # podman keeps the probe's own output in the health log.
  run e2e_health_log hb
  assert_output '1 probe: unhealthy'
  e2e_wait_log hb "hyp-e2e-b detached uid=0"
  # The probe's own stdout is not in the container log: only what was written to /proc/1/fd/1.
  run e2e_podman logs hb
  refute_output --partial 'probe: unhealthy'
}

@test "c: kube play of a Pod with a ConfigMap-mounted exec livenessProbe: the check fires, its job logs" {
  cat >"$HYP/pod.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: hyp-e2e-probe
data:
  probe.sh: |
    #!/bin/sh
    ( sleep 0.2; echo "hyp-e2e-c detached uid=$(id -u)" >/proc/1/fd/1 ) </dev/null >/dev/null 2>&1 &
    echo "probe: unhealthy"
    exit 1
---
apiVersion: v1
kind: Pod
metadata:
  name: hyp-e2e
spec:
  restartPolicy: Never
  containers:
    - name: app
      image: localhost/hypothecary-e2e/busybox:1
      command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1 & wait $!; done"]
      livenessProbe:
        exec:
          command: ["/bin/sh", "/etc/hypothecary/probe.sh"]
        periodSeconds: 3600
        timeoutSeconds: 5
        failureThreshold: 1
      volumeMounts:
        - name: hypothecary
          mountPath: /etc/hypothecary
          readOnly: true
  volumes:
    - name: hypothecary
      configMap:
        name: hyp-e2e-probe
EOF
  [ "$E2E_IMAGE" = localhost/hypothecary-e2e/busybox:1 ] || sed -i "s|localhost/hypothecary-e2e/busybox:1|$E2E_IMAGE|" "$HYP/pod.yaml"
  e2e_kube_play "$HYP/pod.yaml"
  # The container is POD-CONTAINER; the pod also holds its infra container.
  run e2e_podman ps --filter pod=hyp-e2e --format '{{.Names}}'
  assert_line hyp-e2e-app
  assert_line --regexp '^[0-9a-f]{12}-infra$'
  # The exec probe became a CMD-SHELL health check: podman 4.3 splits every word on spaces and
  # joins them into one shell line with "|| exit 1" appended, so probe commands must be plain words.
  run e2e_podman inspect hyp-e2e-app --format '{{json .Config.Healthcheck.Test}}'
  assert_output '["CMD-SHELL","/bin/sh","/etc/hypothecary/probe.sh","||","exit","1"]'
  # The ConfigMap is a named volume holding plain files (no ..data symlinks as kubelet makes).
  run e2e_podman exec hyp-e2e-app sh -c 'ls -l /etc/hypothecary; grep " /etc/hypothecary " /proc/mounts'
  assert_output --regexp '-rw-r--r-- .* probe\.sh'
  assert_output --partial ' ro,'

  e2e_healthcheck hyp-e2e-app
  echo "# healthcheck: status $E2E_HC_STATUS in ${E2E_HC_MS} ms: $E2E_HC_OUTPUT" >&3
  [ "$E2E_HC_STATUS" -eq 1 ] || fail "healthcheck run exited $E2E_HC_STATUS: $E2E_HC_OUTPUT"
  [ "$E2E_HC_MS" -lt 3000 ] || fail "healthcheck run took $E2E_HC_MS ms"
  run e2e_health_log hyp-e2e-app
  assert_output '1 probe: unhealthy'
  e2e_wait_log hyp-e2e-app "hyp-e2e-c detached uid=0"

  e2e_kube_down "$HYP/pod.yaml"
  run e2e_podman pod exists hyp-e2e
  assert_failure
  run e2e_podman volume ls -q
  assert_output ''
}

@test "d: --user 1000 --read-only: the probe runs and its job writes to /proc/1/fd/1, with or without a tmpfs /tmp" {
  write_probe "$HYP/probe.sh" "hyp-e2e-d detached"
  local ro_tmpfs
  for ro_tmpfs in true false; do
    # podman's --read-only mounts tmpfs on /tmp, /var/tmp and /run unless --read-only-tmpfs=false
    # (Kubernetes' readOnlyRootFilesystem: no tmpfs unless an emptyDir is mounted).
    e2e_run_idle "d-$ro_tmpfs" --user 1000 --read-only --read-only-tmpfs="$ro_tmpfs" \
      --health-cmd "sh /hyp/probe.sh" --health-interval 0 -v "$HYP:/hyp:ro"
    e2e_healthcheck "d-$ro_tmpfs"
    echo "# read-only-tmpfs=$ro_tmpfs healthcheck: status $E2E_HC_STATUS in ${E2E_HC_MS} ms" >&3
    [ "$E2E_HC_STATUS" -eq 1 ] || fail "healthcheck run exited $E2E_HC_STATUS: $E2E_HC_OUTPUT"
    e2e_wait_log "d-$ro_tmpfs" "hyp-e2e-d detached uid=1000"
    # PID 1 runs as 1000 too, and podman hands it stdio pipes owned by 1000.
    run e2e_podman exec "d-$ro_tmpfs" sh -c 'id -u; ls -lL /proc/1/fd/1 | cut -c1-30; touch /tmp/w && echo tmp-writable'
    assert_line --index 0 1000
    assert_line --regexp '^prw-------\s+1 app\s+root'
    if [ "$ro_tmpfs" = true ]; then assert_line tmp-writable; else refute_line tmp-writable; fi
  done
}

@test "d: /proc/1/fd/1 is EACCES when the probe's uid is not PID 1's (root PID 1 and uid 1000, and back)" {
  e2e_run_idle d-root
  e2e_run_idle d-app --user 1000
  run e2e_podman exec --user 1000 d-root sh -c 'echo x >/proc/1/fd/1'
  assert_failure
  assert_output --partial 'Permission denied'
  # Root without CAP_SYS_PTRACE cannot open another uid's /proc/PID/fd either.
  run e2e_podman exec --user 0 d-app sh -c 'echo x >/proc/1/fd/1'
  assert_failure
  assert_output --partial 'Permission denied'
  run e2e_podman exec --user 0 d-root sh -c 'echo x >/proc/1/fd/1'
  assert_success
}

@test "e2e_exec_eof waits for a detached job that kept the probe's stdout; podman healthcheck run does not" {
  printf '%s\n' '( sleep 2; echo late ) &' 'echo early; exit 1' >"$HYP/leaky.sh"
  e2e_run_idle leak --health-cmd "sh /hyp/leaky.sh" --health-interval 0 -v "$HYP:/hyp:ro"
  e2e_healthcheck leak
  echo "# healthcheck: status $E2E_HC_STATUS in ${E2E_HC_MS} ms" >&3
  [ "$E2E_HC_STATUS" -eq 1 ] && [ "$E2E_HC_MS" -lt 1500 ] || fail "status $E2E_HC_STATUS in $E2E_HC_MS ms"
  local start=$(e2e_now_ms)
  run e2e_exec_eof leak sh /hyp/leaky.sh
  local ms=$(($(e2e_now_ms) - start))
  echo "# e2e_exec_eof: status $status in $ms ms" >&3
  assert_failure 1
  assert_output $'early\nlate'
  [ "$ms" -ge 2000 ] || fail "returned after $ms ms"
}
