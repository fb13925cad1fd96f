#!/usr/bin/env bats
# Sinks (runtime/sinks.sh) under the shell in $HYP_SH, against test/support/sink-receiver.mjs: a
# loopback stand-in for Splunk HEC, Datadog, Loki, a webhook and Slack that checks every request
# strictly against the service's wire format and records what it got. The report reaches
# report.to first; each sink then gets the run's lines within its deadline and retries, and how
# that went is a `sink` line of the report. Tokens never reach a command line or the runner.

SPLUNK_TOKEN=hec-7f3a9c1e-tok
DD_KEY=dd-4b8e2d6f-key

setup_file() {
  load runner-helpers
  node "$REPO/test/support/sink-receiver.mjs" "$BATS_FILE_TMPDIR/sink.port" "$BATS_FILE_TMPDIR/sink.records" 3>&- &
  printf '%s\n' "$!" >"$BATS_FILE_TMPDIR/sink.pid"
  for _ in $(seq 1 100); do
    [ -s "$BATS_FILE_TMPDIR/sink.port" ] && break
    sleep 0.05
  done
}

teardown_file() {
  kill "$(cat "$BATS_FILE_TMPDIR/sink.pid")" 2>/dev/null || true
}

setup() {
  load runner-helpers
  cd "$BATS_TEST_TMPDIR"
  PORT=$(cat "$BATS_FILE_TMPDIR/sink.port")
  BASE="http://127.0.0.1:$PORT"
  RECORDS=$BATS_FILE_TMPDIR/sink.records
  # Each test reads only the records it caused.
  SKIP_RECORDS=$(wc -l <"$RECORDS")
  export HYP_STATE_DIR="$BATS_TEST_TMPDIR/state" HYP_CONTAINER_LOG="$BATS_TEST_TMPDIR/container.log"
  export HYP_RUNNER_SHELL=$HYP_SH
  export HEC_TOKEN=$SPLUNK_TOKEN SLACK_URL="$BASE/slack/T0/B0/s3cr3t"
  printf '%s\n' "$DD_KEY" >dd.key
  # What the receiver checks for (EXPECT_* of sink-receiver.mjs); a test may add to it.
  printf '%s\n' "EXPECT_SPLUNK_TOKEN=$SPLUNK_TOKEN" "EXPECT_DD_KEY=$DD_KEY" >"$RECORDS.expect"
  : >"$HYP_CONTAINER_LOG"
}

teardown() {
  if [ -s "$HYP_STATE_DIR/diagnostics.lock/pid" ]; then
    pkill -KILL -s "$(cat "$HYP_STATE_DIR/diagnostics.lock/pid")" 2>/dev/null || true
  fi
}

# records: what the receiver got since this test began, one JSON object per line.
records() {
  tail -n "+$((SKIP_RECORDS + 1))" "$RECORDS"
}

# record_digest: one line per request: KIND OK ANSWERED LINES FIRST_PROBLEM, sorted.
record_digest() {
  records | node -e '
    const lines = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    console.log(lines.map((r) => [r.kind, r.ok, r.answered ?? "none", r.lines.length, r.problems[0] ?? "-"].join(" ")).sort().join("\n"));'
}

# config PLUGIN_EXIT SINKS_YAML: a config with one plugin and these sinks.
config() {
  cat >config.yaml <<YAML
service: shop
probes:
  liveness: { exec: "test -e $BATS_TEST_TMPDIR/healthy", timeout: 2s }
  cooldown: 1ms
report: { format: ${FORMAT:-json} }
sinks:
$2
plugins:
  - plugin:
      name: payments
      type: shell
      hypothesis: the payment provider is down
      shell_command: "echo 'provider said <503> & gave up'; exit $1"
YAML
  hyp_compile config.yaml runner.sh
}

check_report() {
  node "$REPO/test/support/check-report.mjs"
}

@test "every sink type gets the run's lines in its own wire format" {
  printf '%s\n' 'EXPECT_LOKI_LABELS={"service":"shop","source":"hypothecary","team":"pay"}' EXPECT_LOKI_TENANT=team-a \
    "EXPECT_HOOK_HEADER=X-Hook: it's me" EXPECT_SPLUNK_INDEX=main >>"$RECORDS.expect"
  config 1 "  - { type: splunk_hec, url: \"$BASE\", token_env: HEC_TOKEN, index: main }
  - { type: datadog, url: \"$BASE/api/v2/logs\", token_file: $BATS_TEST_TMPDIR/dd.key, tags: [\"env:test\"] }
  - { type: loki, url: \"$BASE/\", tenant: team-a, labels: { team: pay } }
  - { type: webhook, url: \"$BASE/hook\", headers: { X-Hook: \"it's me\" } }
  - { type: slack, url_env: SLACK_URL }"
  start=$(now_ms)
  run hyp_runner runner.sh run
  elapsed=$(($(now_ms) - start))
  assert_failure 1
  printf '%s\n' "$output" >report.jsonl
  run check_report <report.jsonl
  assert_success
  assert_line "sink splunk_hec delivered 1 200"
  assert_line "sink datadog delivered 1 202"
  assert_line "sink loki delivered 1 204"
  assert_line "sink webhook delivered 1 200"
  assert_line "sink slack delivered 1 200"
  # Every request well-formed; each carried the report's two lines (Slack: one summary text).
  run record_digest
  assert_output "datadog true 202 2 -
hook true 200 2 -
loki true 204 2 -
slack true 200 1 -
splunk true 200 2 -"
  # What they carried is the report as emitted: the same objects, the same run.
  head -n 2 report.jsonl >emitted
  records | node -e '
    const fs = require("fs");
    const emitted = fs.readFileSync("emitted", "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    for (const r of fs.readFileSync(0, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l))) {
      if (r.kind === "slack") {
        const want = `hypothecary: shop, manual run ${emitted[1].run_id}: 1 plugins: 0 passed, 1 failed, 0 timed out, 0 skipped. confirmed: the payment provider is down (payments failed: provider said &lt;503&gt; &amp; gave up)`;
        if (r.lines[0] !== want) throw new Error(`slack text: ${r.lines[0]}`);
      } else if (JSON.stringify(r.lines) !== JSON.stringify(emitted)) throw new Error(`${r.kind} carried ${JSON.stringify(r.lines)}`);
    }'
  # The token is read at delivery: it is not in the runner.
  ! grep -F -e "$SPLUNK_TOKEN" -e "$DD_KEY" -e s3cr3t runner.sh
  echo "# all five sinks, run and delivery: ${elapsed} ms" >&3
}

@test "a text report: sinks carry its lines as strings" {
  FORMAT=text config 0 "  - { type: splunk_hec, url: \"$BASE\", token_env: HEC_TOKEN, sourcetype: hypothecary:text }
  - { type: webhook, url: \"$BASE/hook\" }"
  run hyp_runner runner.sh run
  assert_success
  assert_line --regexp '^PASS    payments'
  # The plugin's line, and the summary's three: the counts, then what was confirmed and ruled out.
  assert_line --regexp '^SINK    splunk_hec \(splunk_hec\) delivered 4 lines \(1 attempt, http 200, [0-9]+ ms\)$'
  assert_line --regexp '^SINK    webhook \(webhook\) delivered 4 lines'
  run record_digest
  assert_output "hook true 200 4 -
splunk true 200 4 -"
  records | grep -q '"lines":\["PASS    payments'
}

@test "a sink that accepts and never answers: the run ends within timeout x attempts, the others unhindered" {
  config 1 "  - { type: webhook, name: stuck, url: \"$BASE/hang/hook\", timeout: 1s, retries: 1 }
  - { type: splunk_hec, url: \"$BASE\", token_env: HEC_TOKEN }"
  start=$(now_ms)
  run hyp_runner runner.sh run
  elapsed=$(($(now_ms) - start))
  assert_failure 1
  printf '%s\n' "$output" >report.jsonl
  run check_report <report.jsonl
  assert_success
  assert_line "sink stuck failed 2 -"
  assert_line "sink splunk_hec delivered 1 200"
  grep '"sink":"stuck"' report.jsonl | grep -q '"error":"curl: (28) Operation timed out after'
  # Two attempts of 1 s and a backoff of 1 s between them; the report was out before.
  [ "$elapsed" -ge 2900 ] || fail "over in ${elapsed} ms: the attempts were not bounded by the timeout"
  [ "$elapsed" -lt 5500 ] || fail "the run took ${elapsed} ms"
  splunk_ms=$(grep '"sink":"splunk_hec"' report.jsonl | sed 's/.*"duration_ms":\([0-9]*\).*/\1/')
  [ "$splunk_ms" -lt 1000 ] || fail "splunk waited for the hung sink: ${splunk_ms} ms"
  run record_digest
  assert_output "hook true none 2 -
hook true none 2 -
splunk true 200 2 -"
  echo "# hung sink (1 s x 2 attempts): run ${elapsed} ms; splunk beside it ${splunk_ms} ms" >&3
}

@test "5xx and 429 are retried with backoff, another 4xx is not, a refused connection is" {
  config 0 "  - { type: splunk_hec, url: \"$BASE/status/503\", token_env: HEC_TOKEN, retries: 2 }
  - { type: loki, url: \"$BASE/status/429\", retries: 1 }
  - { type: webhook, url: \"$BASE/status/400/hook\" }
  - { type: slack, url: \"http://127.0.0.1:9/slack\", retries: 1, timeout: 2s }"
  start=$(now_ms)
  run hyp_runner runner.sh run
  elapsed=$(($(now_ms) - start))
  assert_success
  printf '%s\n' "$output" >report.jsonl
  run check_report <report.jsonl
  assert_success
  assert_line "sink splunk_hec failed 3 503"
  assert_line "sink loki failed 2 429"
  assert_line "sink webhook failed 1 400"
  assert_line "sink slack failed 2 -"
  grep '"sink":"splunk_hec"' report.jsonl | grep -q '"error":"HTTP 503: status 503"'
  grep '"sink":"slack"' report.jsonl | grep -q '"error":"curl: (7) Failed to connect to 127.0.0.1 port 9'
  # Backoff 1 s then 2 s for the three Splunk attempts; all sinks at once, not one after another.
  [ "$elapsed" -ge 2900 ] && [ "$elapsed" -lt 5500 ] || fail "the run took ${elapsed} ms"
  [ "$(records | grep -c '"kind":"splunk"')" -eq 3 ]
  [ "$(records | grep -c '"kind":"hook"')" -eq 1 ]
}

@test "a token that cannot be read fails at once, naming where it looked, and nothing is sent" {
  config 0 "  - { type: datadog, url: \"$BASE/api/v2/logs\", token_env: NO_SUCH_DD_KEY }
  - { type: splunk_hec, url: \"$BASE\", token_file: $BATS_TEST_TMPDIR/missing.token }"
  run hyp_runner runner.sh run
  assert_success
  printf '%s\n' "$output" >report.jsonl
  run check_report <report.jsonl
  assert_line "sink datadog failed 0 -"
  assert_line "sink splunk_hec failed 0 -"
  grep -q '"error":"token_env: the environment variable NO_SUCH_DD_KEY is empty or not set"' report.jsonl
  grep -q "\"error\":\"token_file: cannot read $BATS_TEST_TMPDIR/missing.token\"" report.jsonl
  [ "$(records | wc -l)" -eq 0 ]
}

@test "tokens never appear in a command line during delivery, nor anywhere on disk after" {
  config 1 "  - { type: splunk_hec, url: \"$BASE/slow/1\", token_env: HEC_TOKEN }
  - { type: datadog, url: \"$BASE/slow/1/api/v2/logs\", token_file: $BATS_TEST_TMPDIR/dd.key }
  - { type: slack, url_env: SLACK_URL }"
  export SLACK_URL="$BASE/slow/1/slack/T0/B0/s3cr3t"
  marker="SINK_TEST_MARK=$BATS_TEST_TMPDIR"
  node "$REPO/test/support/proc-cmdlines.mjs" "$PWD/cmdlines" "$PWD/stop" "$marker" 3>&- &
  sampler=$!
  for _ in $(seq 1 100); do [ -e cmdlines.ready ] && break; sleep 0.05; done
  export SINK_TEST_MARK=$BATS_TEST_TMPDIR
  run hyp_runner runner.sh run
  touch stop
  wait "$sampler"
  printf '%s\n' "$output" >report.jsonl
  run check_report <report.jsonl
  assert_line "sink splunk_hec delivered 1 200"
  assert_line "sink datadog delivered 1 202"
  assert_line "sink slack delivered 1 200"
  # The sampler saw the deliveries (curl ran for a second each)...
  grep -q '^curl -q -sS -K - ' cmdlines || fail "no curl seen in $(cat cmdlines.rounds) rounds: $(cat cmdlines)"
  # ...and no secret in any command line, the runner, the state folder or the report.
  run grep -F -e "$SPLUNK_TOKEN" -e "$DD_KEY" -e s3cr3t cmdlines runner.sh report.jsonl "$HYP_CONTAINER_LOG"
  assert_failure 1
  run grep -r -F -e "$SPLUNK_TOKEN" -e "$DD_KEY" -e s3cr3t "$HYP_STATE_DIR"
  assert_failure 1
}

@test "TERM while sinks deliver ends the run at once, and every request with it" {
  config 0 "  - { type: webhook, url: \"$BASE/hang/hook\", timeout: 20s }
  - { type: splunk_hec, url: \"$BASE/hang\", token_env: HEC_TOKEN, timeout: 20s }"
  SINK_TEST_MARK=$BATS_TEST_TMPDIR $HYP_SH runner.sh run >out 2>&1 3>&- &
  runner=$!
  for _ in $(seq 1 100); do
    [ "$(records | wc -l)" -ge 2 ] && break
    sleep 0.05
  done
  [ "$(records | wc -l)" -eq 2 ] || fail "the sinks were not reached: $(cat out)"
  start=$(now_ms)
  kill -TERM "$runner"
  status=0
  wait "$runner" || status=$?
  elapsed=$(($(now_ms) - start))
  [ "$status" -eq 143 ] || fail "exit $status: $(cat out)"
  [ "$elapsed" -lt 2000 ] || fail "TERM took ${elapsed} ms"
  sleep 0.2
  left=$(grep -l -s -a -F "SINK_TEST_MARK=$BATS_TEST_TMPDIR" /proc/[0-9]*/environ || true)
  [ -z "$left" ] || fail "left behind: $(for f in $left; do tr '\0' ' ' <"${f%/environ}/cmdline"; echo; done)"
  [ ! -e "$HYP_STATE_DIR/run.$runner" ] || fail "the run's folder is left"
}

# no_curl_path [busybox]: a PATH with every command of this system but curl; with `busybox`,
# its wget is busybox's. Made once per file (one `ln` per folder: the first of a name wins).
no_curl_path() {
  dir="$BATS_FILE_TMPDIR/nocurl-${1:-gnu}"
  if [ ! -d "$dir" ]; then
    mkdir "$dir"
    ln -s /usr/local/bin/* /usr/bin/* /bin/* /usr/sbin/* /sbin/* "$dir" 2>/dev/null || true
    rm -f "$dir/curl"
    [ "${1:-}" != busybox ] || ln -sf "$(command -v busybox)" "$dir/wget"
  fi
  printf '%s\n' "$dir"
}

@test "without curl: a sink with a secret says curl is missing; one without goes through wget" {
  config 1 "  - { type: splunk_hec, url: \"$BASE\", token_env: HEC_TOKEN }
  - { type: webhook, url: \"$BASE/hook\", headers: { X-Hook: plain } }
  - { type: loki, url: \"$BASE/status/503\", retries: 1, timeout: 2s }
  - { type: webhook, name: stuck, url: \"$BASE/hang/hook\", timeout: 1s, retries: 0, headers: { X-Hook: plain } }"
  printf '%s\n' "EXPECT_HOOK_HEADER=X-Hook: plain" >>"$RECORDS.expect"
  for wget in gnu busybox; do
    nocurl=$(no_curl_path "$wget")
    [ ! -e "$nocurl/curl" ] && [ -x "$nocurl/awk" ] && [ -x "$nocurl/setsid" ]
    [ "$wget" = gnu ] && PATH=$nocurl wget --version >/dev/null
    [ "$wget" = busybox ] && ! PATH=$nocurl wget --version >/dev/null 2>&1
    SKIP_RECORDS=$(wc -l <"$RECORDS")
    start=$(now_ms)
    run env PATH="$nocurl" $HYP_SH runner.sh run
    elapsed=$(($(now_ms) - start))
    assert_failure 1
    # The hung sink's one attempt of 1 s (GNU wget: its -T, busybox: the watchdog).
    [ "$elapsed" -lt 3000 ] || fail "$wget wget: the run took ${elapsed} ms"
    printf '%s\n' "$output" >report.jsonl
    run check_report <report.jsonl
    assert_success
    assert_line "sink splunk_hec failed 0 -"
    assert_line "sink webhook-2 delivered 1 200"
    assert_line "sink loki failed 2 503"
    assert_line "sink stuck failed 1 -"
    grep '"sink":"splunk_hec"' report.jsonl | grep -q '"error":"curl is not installed, and this sink needs a secret'
    run record_digest
    assert_output "hook true 200 2 -
hook true none 2 -
loki true 503 2 -
loki true 503 2 -"
  done
}

@test "probe: a failing check with a hung sink answers at once; the log gets the report, then the failed delivery" {
  config 1 "  - { type: webhook, name: stuck, url: \"$BASE/hang/hook\", timeout: 1s, retries: 1 }"
  start=$(now_ms)
  # Through a pipe, as a kubelet's exec reads it: cat ends only when every writer has closed.
  run sh -c '$1 runner.sh probe liveness | cat' _ "$HYP_SH"
  answered=$(($(now_ms) - start))
  assert_output --regexp '^hypothecary liveness: FAIL \(exit 1\); diagnostics started'
  [ "$answered" -lt 1000 ] || fail "the probe took ${answered} ms"
  for _ in $(seq 1 100); do
    grep -q '"event":"sink"' "$HYP_CONTAINER_LOG" && break
    sleep 0.1
  done
  done_ms=$(($(now_ms) - start))
  run check_report <"$HYP_CONTAINER_LOG"
  assert_success
  assert_line "payments fail - failure,exit_1 -"
  assert_line "sink stuck failed 2 -"
  grep '"event":"sink"' "$HYP_CONTAINER_LOG" | grep -q '"trigger":"on_liveness_failure"'
  echo "# probe with a hung sink: answered in ${answered} ms; failed-delivery line in the log after ${done_ms} ms" >&3
}

@test "a run with nowhere to write reports each sink as not delivered, and why" {
  [ "$(id -u)" = 0 ] || fail "needs root, for a mount namespace with a read-only /tmp"
  config 0 "  - { type: webhook, url: \"$BASE/hook\" }"
  LOG=$BATS_TEST_TMPDIR/log
  mkdir -p "$LOG"
  cp runner.sh "$LOG/runner.sh"
  unset HYP_STATE_DIR
  TMPDIR=/tmp run read_only $HYP_SH "$LOG/runner.sh" run
  assert_success
  printf '%s\n' "$output" >report.jsonl
  run check_report <report.jsonl
  assert_success
  assert_line "sink webhook failed 0 -"
  grep -q '"error":"no writable folder to keep the report in for delivery"' report.jsonl
  [ "$(records | wc -l)" -eq 0 ]
}
