#!/usr/bin/env bats
# Prebuilts in the busybox-only image (no curl, no openssl, no getent, no bash): HTTP, TCP and
# DNS work through busybox's own tools, and AWS-STS reports `skipped` with its reason rather
# than failing (issue 4, item 3).

bats_require_minimum_version 1.5.0

setup_file() { load lib && e2e_setup_file; }
teardown_file() { load lib && e2e_teardown_file; }
setup() { load lib && e2e_setup; }
teardown() { load lib && e2e_cleanup; }

@test "busybox only: HTTP, TCP and DNS answer through busybox; AWS-STS is skipped, saying why" {
  cat >"$HYP/config.yaml" <<'YAML'
service: busybox-only
plugins:
  - plugin:
      name: healthz
      type: prebuilt
      prebuilt: HTTP
      parallel: true
      with: { url: "http://127.0.0.1:8080/healthz", body: "^ok$" }
  - plugin:
      name: missing-page
      type: prebuilt
      prebuilt: HTTP
      parallel: true
      with: { url: "http://127.0.0.1:8080/missing" }
  - plugin:
      name: port
      type: prebuilt
      prebuilt: TCP
      parallel: true
      with: { port: 8080 }
  - plugin:
      name: closed-port
      type: prebuilt
      prebuilt: TCP
      parallel: true
      with: { port: 8081, timeout: 2s }
  - plugin:
      name: resolver
      type: prebuilt
      prebuilt: DNS
      parallel: true
      with: { name: localhost }
  - plugin:
      name: AWS-STS
      type: prebuilt
      parallel: true
YAML
  node "$E2E_REPO/bin/hypothecary.js" compile "$HYP/config.yaml" -o "$HYP/runner.sh"
  # The app: busybox httpd on 127.0.0.1:8080, serving /healthz.
  e2e_podman run -d --name bb -v "$HYP:/hyp:ro" "$E2E_IMAGE" sh -c \
    'mkdir -p /www && echo ok >/www/healthz && exec httpd -f -p 127.0.0.1:8080 -h /www' >/dev/null
  local i
  for i in $(seq 1 50); do
    e2e_podman exec bb wget -q -O /dev/null http://127.0.0.1:8080/healthz 2>/dev/null && break
    sleep 0.1
  done

  run e2e_podman exec bb sh -c 'for t in curl openssl getent bash; do command -v $t; done; sh /hyp/runner.sh run'
  printf '%s\n' "$output" >"$HYP/report.jsonl"
  refute_line --regexp '^/'
  run node "$E2E_REPO/test/support/check-report.mjs" <"$HYP/report.jsonl"
  assert_success
  assert_line 'healthz pass - success,exit_0,http_2xx,http_200 200'
  assert_line 'missing-page fail - failure,exit_1,http_4xx,http_404 404'
  assert_line 'port pass - success,exit_0 -'
  assert_line 'closed-port fail - failure,exit_1 -'
  assert_line 'resolver pass - success,exit_0 -'
  assert_line 'AWS-STS skipped - skipped -'
  run cat "$HYP/report.jsonl"
  assert_output --regexp '"plugin":"healthz".*"output":"HTTP GET http://127.0.0.1:8080/healthz -> 200 '
  assert_output --regexp '"plugin":"resolver".*"output":"DNS localhost: resolves to 127\.0\.0\.1'
  assert_output --regexp '"plugin":"AWS-STS".*"output":"skipped: AWS-STS: [^"]*(curl|openssl)'
}
