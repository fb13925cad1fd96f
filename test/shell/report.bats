#!/usr/bin/env bats
# The report under the shell in $HYP_SH: secrets redacted before any line leaves the runner
# (runtime/redact.sh), in every destination and both formats; the summary's verdict, with the
# hypotheses confirmed and those ruled out; and `report.format: text`.

setup_file() {
  load runner-helpers
  export SUPPORT="$REPO/test/support"
  # A loopback STS (test/support/fake-sts.mjs): a wrong secret gets its 403.
  node "$SUPPORT/fake-sts.mjs" "$BATS_FILE_TMPDIR/sts.port" 3>&- &
  export STS_PID=$!
  for _ in $(seq 1 100); do
    [ -s "$BATS_FILE_TMPDIR/sts.port" ] && break
    sleep 0.05
  done
  STS_URL="http://127.0.0.1:$(cat "$BATS_FILE_TMPDIR/sts.port")"
  export STS_URL

  # The fake secrets one plugin prints, each in the form it takes in real output.
  export AKID=AKIAZ7TESTKEY0000001
  export SECRET='tEsT/SeCrEt+KeY0123456789abcdefGHIJKLMNO'
  export SESSION_TOKEN='IQoJb3JpZ2luX2VjEHoaCXVzLWVhc3QtMSJGMEQCIFakeSessionToken+/=='
  export BEARER='ya29.a0AfB_byC-fakeBearer_1234567890'
  export BASIC='dXNlcjpzM2NyZXQtYmFzaWMtcGFzcw=='
  export URLPASS='s3cr3t-Url-Pass'
  export JWT='eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJoeXBvdGhlY2FyeSJ9.c2lnbmF0dXJlLW9mLWEtZmFrZS1qd3Q'
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$BATS_FILE_TMPDIR/key.pem" 2>/dev/null
  # The secrets file holds every one, with the context that makes it one.
  {
    printf 'AWS_ACCESS_KEY_ID=%s\n' "$AKID"
    printf 'aws_secret_access_key = %s\n' "$SECRET"
    printf '{"AccessKeyId": "%s", "SecretAccessKey": "%s", "SessionToken": "%s"}\n' "$AKID" "$SECRET" "$SESSION_TOKEN"
    printf '> GET /v1/things HTTP/1.1\n> Authorization: Basic %s\n' "$BASIC"
    printf 'retrying with token: Bearer %s\n' "$BEARER"
    printf 'connecting to postgres://app:%s@db.internal:5432/app\n' "$URLPASS"
    printf 'id_token=%s\n' "$JWT"
    printf 'loaded the signing key:\n'
    cat "$BATS_FILE_TMPDIR/key.pem"
    printf 'the end\n'
  } >"$BATS_FILE_TMPDIR/secrets.txt"
  # The lines of the key between its markers: none may show anywhere.
  grep -v -- '-----' "$BATS_FILE_TMPDIR/key.pem" >"$BATS_FILE_TMPDIR/key.lines"
}

teardown_file() {
  [ -z "${STS_PID:-}" ] || kill "$STS_PID" 2>/dev/null || true
}

setup() {
  load runner-helpers
  cd "$BATS_TEST_TMPDIR" || return 1
  export HYP_STATE_DIR="$BATS_TEST_TMPDIR/state" HYP_CONTAINER_LOG="$BATS_TEST_TMPDIR/container.log"
  export HYP_RUNNER_SHELL=$HYP_SH
  : >"$HYP_CONTAINER_LOG"
}

teardown() {
  if [ -s "$HYP_STATE_DIR/diagnostics.lock/pid" ]; then
    pkill -KILL -s "$(cat "$HYP_STATE_DIR/diagnostics.lock/pid")" 2>/dev/null || true
  fi
}

# leaky_config FORMAT: a config whose failing plugin prints every secret,
# reported to stdout, a file and (from a probe) the container log.
leaky_config() {
  cat >config.yaml <<YAML
service: leaky
probes:
  liveness: { exec: "exit 1" }
  cooldown: 1ms
report:
  format: $1
  to: [container-log, stdout, "file:$BATS_TEST_TMPDIR/report.out"]
plugins:
  - plugin:
      name: leaky
      type: shell
      hypothesis: the app prints its credentials
      shell_command: cat $BATS_FILE_TMPDIR/secrets.txt; exit 1
YAML
  hyp_compile config.yaml runner.sh
}

# wait_for_summary FILE: the detached run's summary in FILE (up to 15 s).
wait_for_summary() {
  for _ in $(seq 1 150); do
    grep -q -E '"event":"summary"|^SUMMARY ' "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# assert_no_secret FILE...: none of the fake secrets, nor a line of the private key, in FILEs.
assert_no_secret() {
  local file secret
  for file in "$@"; do
    [ -s "$file" ] || fail "$file is empty: nothing was reported there"
    for secret in "$AKID" "$SECRET" "$SESSION_TOKEN" "$BEARER" "$BASIC" "$URLPASS" "$JWT"; do
      ! grep -q -F -e "$secret" "$file" || fail "$file shows $secret: $(grep -F -e "$secret" "$file" | head -c 400)"
    done
    ! grep -q -F -f "$BATS_FILE_TMPDIR/key.lines" "$file" || fail "$file shows the private key"
  done
}

# report_field FILE FIELD: FIELD of the summary line in FILE, as JSON.
report_field() {
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    const summary = lines.filter((l) => l.event === "summary").pop();
    console.log(JSON.stringify(summary[process.argv[2]]));' "$1" "$2"
}

@test "the test's secrets file holds every secret (so the redaction tests can fail)" {
  run cat "$BATS_FILE_TMPDIR/secrets.txt"
  for secret in "$AKID" "$SECRET" "$SESSION_TOKEN" "$BEARER" "$BASIC" "$URLPASS" "$JWT"; do
    assert_output --partial "$secret"
  done
  [ "${#SECRET}" -eq 40 ]
  [ "$(wc -l <"$BATS_FILE_TMPDIR/key.lines")" -ge 3 ]
  run assert_no_secret "$BATS_FILE_TMPDIR/secrets.txt"
  assert_failure
}

@test "json: no secret reaches stdout, a file: destination or the container log; the rest stays" {
  leaky_config json
  run hyp_runner runner.sh run
  assert_failure 1
  printf '%s\n' "$output" >stdout.out
  hyp_runner runner.sh probe liveness || true
  wait_for_summary container.log || fail "no report in the container log"
  assert_no_secret stdout.out report.out container.log
  for file in stdout.out container.log; do
    run hyp_check_report <"$file"
    assert_success
    assert_line "leaky fail - failure,exit_1 -"
  done
  # What the reader needs stays: which setting held a secret, where a URL pointed.
  run report_field container.log verdict
  assert_output '"confirmed: the app prints its credentials (leaky failed: the end)"'
  run node -e 'for (const l of require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean)) {
      const o = JSON.parse(l); if (o.event === "result") console.log(o.output) }' stdout.out
  assert_line 'AWS_ACCESS_KEY_ID=[REDACTED]'
  assert_line 'aws_secret_access_key = [REDACTED]'
  assert_line '{"AccessKeyId": "[REDACTED]", "SecretAccessKey": "[REDACTED]", "SessionToken": "[REDACTED]"}'
  assert_line '> Authorization: [REDACTED]'
  assert_line 'retrying with token: Bearer [REDACTED]'
  assert_line 'connecting to postgres://app:[REDACTED]@db.internal:5432/app'
  assert_line 'id_token=[REDACTED]'
  assert_line '-----BEGIN PRIVATE KEY-----[REDACTED]-----END PRIVATE KEY-----'
  assert_line 'the end'
}

@test "text: no secret reaches stdout, a file: destination or the container log" {
  # The first line the text format shows is the secret itself.
  sed -n '2p' "$BATS_FILE_TMPDIR/secrets.txt" >first.txt
  cat "$BATS_FILE_TMPDIR/secrets.txt" >>first.txt
  leaky_config text
  sed -i "s|cat $BATS_FILE_TMPDIR/secrets.txt|cat $BATS_TEST_TMPDIR/first.txt|" config.yaml
  hyp_compile config.yaml runner.sh
  run hyp_runner runner.sh run
  assert_failure 1
  printf '%s\n' "$output" >stdout.out
  hyp_runner runner.sh probe liveness || true
  wait_for_summary container.log || fail "no report in the container log"
  assert_no_secret stdout.out report.out container.log
  run cat container.log
  assert_line --regexp '^FAIL    leaky \(shell, [0-9]+ ms, exit 1\): aws_secret_access_key = \[REDACTED\] \(\+[0-9]+ more lines\)$'
  refute_output --partial '{'
}

@test "report.redact: the config's own patterns, line by line, after the built-in ones" {
  cat >config.yaml <<'YAML'
service: own-patterns
report:
  to: [stdout]
  redact: ["customer-[0-9]+", "^pin: .+", "(sk|pk)_live_[A-Za-z0-9]+", "[[:upper:]][[:upper:]][[:upper:]]-[[:digit:]]+"]
plugins:
  - plugin:
      name: talks
      type: shell
      shell_command: "printf 'order for customer-4711 and customer-42\\npin: 1234\\nthe pin: 99 stays\\nkey sk_live_AbC123 and pk_live_9\\nticket ABC-123 abc-456\\n'"
YAML
  hyp_compile config.yaml runner.sh
  run hyp_runner runner.sh run
  assert_success
  run node -e 'for (const l of require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean)) {
      const o = JSON.parse(l); if (o.event === "result") console.log(o.output) }' <<<"$output"
  assert_output 'order for [REDACTED] and [REDACTED]
[REDACTED]
the pin: 99 stays
key [REDACTED] and [REDACTED]
ticket [REDACTED] abc-456'
}

@test "a secret that the output cap cuts through is hidden whole, not cut into a visible prefix" {
  # 2040 bytes of filler, then a key id and a bearer token across the 2048-byte cap.
  awk 'BEGIN { for (i = 0; i < 40; i++) printf "%050d\n", i }' >filler.txt
  printf 'AKIAZ7TESTKEY0000002 Bearer %s tail\n' "$BEARER" >>filler.txt
  [ "$(wc -c <filler.txt)" -gt 2048 ]
  cat >config.yaml <<YAML
report: { to: [stdout] }
plugins:
  - plugin: { name: long, type: shell, shell_command: "cat $BATS_TEST_TMPDIR/filler.txt" }
YAML
  hyp_compile config.yaml runner.sh
  run hyp_runner runner.sh run
  assert_success
  refute_output --partial AKIAZ7
  refute_output --partial ya29
  assert_output --partial '[truncated: '
}

@test "the seed's AWS example: STS answers 403, DNS resolves localhost: STS confirmed, DNS ruled out" {
  sed -e "s|https://s3.us-east-1.amazonaws.com/|$STS_URL/captive-portal|" "$REPO/examples/seed-prebuilt.yaml" >config.yaml
  cat >>config.yaml <<'YAML'
  - plugin:
      name: DNS
      type: prebuilt
      with: { name: localhost }
      hypothesis: names do not resolve in this pod
YAML
  printf "export AWS_ACCESS_KEY_ID='AKIAHYPFAKESTATIC001' AWS_SECRET_ACCESS_KEY='wrong/secret+0123456789abcdefghijklmnopq' AWS_ENDPOINT_URL_STS='%s' AWS_EC2_METADATA_DISABLED=true\n" \
    "$STS_URL" >env.sh
  for format in json text; do
    sed -i -e '/^report:/d' config.yaml
    sed -i -e "1i report: { format: $format, to: [stdout] }" config.yaml
    hyp_compile config.yaml runner.sh
    # shellcheck disable=SC2016 # for that sh
    run env -i PATH="$PATH" HOME="$PWD" HYP_STATE_DIR="$PWD/state" sh -c '. ./env.sh && $1 runner.sh run' _ "$HYP_SH"
    assert_failure 1
    printf '%s\n' "$output" >"report.$format"
  done
  run hyp_check_report <report.json
  assert_success
  assert_line "AWS-STS fail - failure,exit_1,http_4xx,http_403 403"
  assert_line "plugin-do-something skipped - skipped -"
  assert_line "DNS pass - success,exit_0 -"
  assert_line --regexp '^verdict confirmed: this pod cannot authenticate to AWS \(credentials, network path or AWS itself\) \(AWS-STS failed with HTTP 403: AWS-STS fail: HTTP 403 SignatureDoesNotMatch: .*\)\. ruled out: names do not resolve in this pod \(DNS passed\)$'
  run report_field report.json confirmed
  assert_output '["AWS-STS"]'
  run report_field report.json ruled_out
  assert_output '["DNS"]'
  # The wrong secret never shows; the key id is redacted wherever the prebuilt names it.
  refute_output --partial 'wrong/secret'
  run cat report.json
  refute_output --partial 'wrong/secret'
  refute_output --partial 'AKIAHYPFAKESTATIC001'

  run cat report.text
  assert_line --index 0 --regexp '^FAIL    AWS-STS \(prebuilt, [0-9]+ ms, exit 1, http 403\): AWS-STS fail: HTTP 403 SignatureDoesNotMatch: '
  assert_line --regexp '^PASS    DNS \(prebuilt, [0-9]+ ms, exit 0\): DNS localhost: resolves to '
  assert_line --regexp '^SKIPPED plugin-do-something \(shell, 0 ms\): not run: no conditional leading to plugin-do-something matched$'
  assert_line --regexp '^SUMMARY payments: 3 plugins, 1 passed, 1 failed, 0 timed out, 1 skipped in [0-9]+ ms$'
  assert_line --regexp '^  confirmed: this pod cannot authenticate to AWS \(credentials, network path or AWS itself\) \(AWS-STS failed with HTTP 403: AWS-STS fail: HTTP 403 SignatureDoesNotMatch: .*\)$'
  assert_line '  ruled out: names do not resolve in this pod (DNS passed)'
  [ "${#lines[@]}" -eq 6 ] || fail "expected 6 lines: $output"
}

@test "the verdict: the deepest failure of each chain, below a plugin that passed; the rest ruled out, in declaration order" {
  cat >config.yaml <<'YAML'
service: chains
report: { to: [stdout] }
plugins:
  - plugin:
      name: api
      type: shell
      hypothesis: the API is down
      shell_command: echo 'HTTP 503'; exit 1
      conditionals: [ { response: failure, child_name: network } ]
  - plugin:
      name: network
      type: shell
      hypothesis: the network is cut
      shell_command: echo route ok
      conditionals: [ { response: success, child_name: database } ]
  - plugin:
      name: database
      type: shell
      hypothesis: the database refuses connections
      shell_command: echo 'connection refused'; exit 2
  - plugin:
      name: disk
      type: shell
      parallel: true
      shell_command: sleep 1; echo 'no space left'; exit 1
  - plugin:
      name: clock
      type: shell
      parallel: true
      hypothesis: the clock is off
      shell_command: sleep 1; echo in sync
  - plugin:
      name: cache
      type: shell
      parallel: true
      shell_command: echo warm
YAML
  hyp_compile config.yaml runner.sh
  run hyp_runner runner.sh run
  assert_failure 1
  printf '%s\n' "$output" >report.json
  run report_field report.json verdict
  assert_output '"confirmed: the database refuses connections (database failed: connection refused); disk failed: no space left. ruled out: the network is cut (network passed); the clock is off (clock passed); cache (passed)"'
  run report_field report.json confirmed
  assert_output '["database","disk"]'
  run report_field report.json ruled_out
  assert_output '["network","clock","cache"]'
}

@test "text: one line per plugin, cleaned for a terminal; the summary's verdict under the counts; no JSON" {
  cat >config.yaml <<'YAML'
service: for-people
report: { format: text, to: [stdout] }
plugins:
  - plugin:
      name: noisy
      type: shell
      hypothesis: the worker is stuck
      shell_command: "printf '\\n  first\\tline \\033[31mred\\033[0m caf\\303\\251 \\377\\nsecond\\nthird\\n'; exit 4"
  - plugin:
      name: quiet
      type: shell
      shell_command: "true"
  - plugin:
      name: meter
      type: shell
      hypothesis: downloads stall
      shell_command: "printf '10%%\\r50%%\\r100%% done\\n'"
YAML
  hyp_compile config.yaml runner.sh
  run hyp_runner runner.sh run
  assert_failure 1
  assert_line --index 0 --regexp $'^FAIL    noisy \\(shell, [0-9]+ ms, exit 4\\): first line \\?\\[31mred\\?\\[0m caf\xc3\xa9 \xef\xbf\xbd \\(\\+2 more lines\\)$'
  assert_line --index 1 --regexp '^PASS    quiet \(shell, [0-9]+ ms, exit 0\): \(no output\)$'
  assert_line --index 2 --regexp '^PASS    meter \(shell, [0-9]+ ms, exit 0\): 100% done$'
  assert_line --index 3 --regexp '^SUMMARY for-people: 3 plugins, 2 passed, 1 failed, 0 timed out, 0 skipped in [0-9]+ ms$'
  assert_line --index 4 '  confirmed: the worker is stuck (noisy failed: third)'
  assert_line --index 5 '  ruled out: quiet (passed)'
  assert_line --index 6 '  ruled out: downloads stall (meter passed)'
  [ "${#lines[@]}" -eq 7 ]
  refute_output --partial $'\033'
}

@test "text: with nothing confirmed, the summary says so before what was ruled out" {
  cat >config.yaml <<'YAML'
report: { format: text, to: [stdout] }
plugins:
  - plugin: { name: fine, type: shell, hypothesis: the app is down, shell_command: echo up }
  - plugin: { name: never, type: shell, shell_command: "true", trigger: { trigger_type: periodic } }
YAML
  hyp_compile config.yaml runner.sh
  run hyp_runner runner.sh run --trigger manual
  assert_success
  assert_line --index 1 --regexp '^SUMMARY config: 1 plugin, 1 passed, 0 failed, 0 timed out, 0 skipped in [0-9]+ ms$'
  assert_line --index 2 '  no hypothesis confirmed: 1 passed, 0 skipped'
  assert_line --index 3 '  ruled out: the app is down (fine passed)'
}

@test "with nowhere to write (output held in memory), the report is redacted all the same, in both formats" {
  [ "$(id -u)" = 0 ] || skip "needs root, for a mount namespace with a read-only /tmp (as unstored.bats)"
  mkdir log
  unset HYP_STATE_DIR
  export TMPDIR=/tmp HYP_CONTAINER_LOG=$BATS_TEST_TMPDIR/log/container.log
  for format in json text; do
    cat >config.yaml <<YAML
service: read-only
report: { format: $format, to: [stdout, "file:$BATS_TEST_TMPDIR/log/report.$format"] }
plugins:
  - plugin:
      name: leaky
      type: shell
      hypothesis: the app prints its credentials
      shell_command: "sed -n 2p $BATS_FILE_TMPDIR/secrets.txt; cat $BATS_FILE_TMPDIR/secrets.txt; exit 1"
YAML
    hyp_compile config.yaml runner.sh
    # A mount namespace where only log/ can be written (see unstored.bats).
    # shellcheck disable=SC2016,SC2086 # for the namespace's sh; HYP_SH is a command with its options
    run unshare -m sh -c '
      mount --bind /tmp /tmp && mount -o remount,bind,ro /tmp &&
        mount -t tmpfs -o ro,size=4k tmpfs /dev/shm &&
        mount --bind "$1" "$1" && mount -o remount,bind,rw "$1" || exit 99
      shift
      exec "$@"' read-only "$BATS_TEST_TMPDIR/log" $HYP_SH runner.sh run
    assert_failure 1
    printf '%s\n' "$output" >"log/stdout.$format"
    assert_line --partial 'no writable folder for run state'
    assert_no_secret "log/stdout.$format" "log/report.$format"
  done
  run cat log/stdout.text
  assert_line --regexp '^FAIL    leaky \(shell, [0-9]+ ms, exit 1\): aws_secret_access_key = \[REDACTED\] \(\+[0-9]+ more lines\)$'
  assert_line '  confirmed: the app prints its credentials (leaky failed: the end)'
  run hyp_check_report <log/stdout.json
  assert_success
  grep -q -F 'aws_secret_access_key = [REDACTED]\nAWS_ACCESS_KEY_ID=[REDACTED]\n' log/stdout.json || fail "$(cat log/stdout.json)"
}
