#!/usr/bin/env bats
# Compiled runners under the shell in $HYP_SH: the report contract, chains branching on real
# HTTP statuses, parallelism, timeouts that end whole process trees, and hostile user text.

setup_file() {
  load runner-helpers
  start_http_server
}

teardown_file() {
  load runner-helpers
  stop_http_server
}

setup() {
  load runner-helpers
  cd "$BATS_TEST_TMPDIR"
}

@test "every example compiles and its report is valid JSON lines with every SPEC field" {
  for config in "$REPO"/examples/*.yaml; do
    hyp_compile "$config" runner.sh
    # Examples run from their own folder: the seed's `sh script.sh` finds its script there.
    run sh -c 'cd "$1" && $2 "$3" run | node "$4"' _ "$REPO/examples" "$HYP_SH" "$PWD/runner.sh" "$REPO/test/support/check-report.mjs"
    [ "$status" -eq 0 ] || fail "$config: $output"
    assert_line --regexp '^summary [0-9]+ '
  done
}

@test "the seed's shell plugin takes the http_2xx branch on 200 and not_http_2xx on 503" {
  for code in 200 503; do
    sed "s|https://api.openai.com/v1/engines|http://127.0.0.1:$HTTP_PORT/status/$code|" \
      "$REPO/examples/seed-shell-script.yaml" >config.yaml
    sed "s|https://api.openai.com/v1/engines|http://127.0.0.1:$HTTP_PORT/status/$code|" "$REPO/examples/script.sh" >script.sh
    sed "s|api.openai.com|127.0.0.1:$HTTP_PORT|" "$REPO/examples/network-triage.sh" >network-triage.sh
    hyp_compile config.yaml runner.sh
    run sh -c '$1 runner.sh run | node "$2"' _ "$HYP_SH" "$REPO/test/support/check-report.mjs"
    if [ "$code" = 200 ]; then
      assert_line --regexp "^call-openai pass - success,exit_0,http_2xx,http_200 200$"
      assert_line --regexp "^plugin-do-something (pass|fail) call-openai "
      assert_line --regexp "^plugin-do-something-else skipped - skipped -$"
    else
      assert_line --regexp "^call-openai fail - success,exit_0,http_5xx,http_503 503$"
      assert_line --regexp "^plugin-do-something-else (pass|fail) call-openai "
      assert_line --regexp "^plugin-do-something skipped - skipped -$"
    fi
  done
}

@test "plain curl -X GET, as the seed writes it, is observed: 200 vs 503" {
  for code in 200 503; do
    sed "s|https://api.openai.com/v1/engines|http://127.0.0.1:$HTTP_PORT/status/$code|; s|https://api.openai.com/v1/models|http://127.0.0.1:$HTTP_PORT/status/200|" \
      "$REPO/examples/seed-shell-command.yaml" >config.yaml
    hyp_compile config.yaml runner.sh
    run sh -c '$1 runner.sh run | node "$2"' _ "$HYP_SH" "$REPO/test/support/check-report.mjs"
    if [ "$code" = 200 ]; then
      assert_line "call-openai pass - success,exit_0,http_2xx,http_200 200"
      assert_line "plugin-do-something pass call-openai success,exit_0,http_2xx,http_200 200"
    else
      assert_line "call-openai fail - success,exit_0,http_5xx,http_503 503"
      assert_line "plugin-do-something skipped - skipped -"
      assert_line --partial "verdict confirmed: the OpenAI API is unreachable from this pod (call-openai failed with HTTP 503"
    fi
  done
}

@test "wget, GNU or busybox, is observed too" {
  mkdir bb && ln -s "$(command -v busybox)" bb/wget
  cat >config.yaml <<YAML
plugins:
  - plugin: { name: gnu, type: shell, parallel: true, shell_command: "wget -q -O /dev/null http://127.0.0.1:$HTTP_PORT/status/503" }
  - plugin: { name: gnu-ok, type: shell, parallel: true, shell_command: "wget -q -O - http://127.0.0.1:$HTTP_PORT/status/204" }
YAML
  hyp_compile config.yaml runner.sh
  run sh -c '$1 runner.sh run | node "$2"' _ "$HYP_SH" "$REPO/test/support/check-report.mjs"
  assert_line --regexp "^gnu fail - failure,exit_8,http_5xx,http_503 503$"
  assert_line --regexp "^gnu-ok pass - success,exit_0,http_2xx,http_204 204$"
  run sh -c 'PATH="$PWD/bb:$PATH" $1 runner.sh run | node "$2"' _ "$HYP_SH" "$REPO/test/support/check-report.mjs"
  assert_line --regexp "^gnu fail - failure,exit_1,http_5xx,http_503 503$"
  assert_line --regexp "^gnu-ok pass - success,exit_0,http_2xx,http_204 204$"
}

@test "20 parallel plugins that sleep 1 s finish in under 2 s" {
  {
    printf 'plugins:\n'
    for i in $(seq 1 20); do
      printf '  - plugin: { name: sleeper-%s, type: shell, parallel: true, shell_command: "sleep 1" }\n' "$i"
    done
  } >config.yaml
  hyp_compile config.yaml runner.sh
  start=$(now_ms)
  run hyp_runner runner.sh run
  elapsed=$(($(now_ms) - start))
  assert_success
  [ "$elapsed" -lt 2000 ] || fail "took ${elapsed} ms"
  run sh -c 'printf "%s\n" "$1" | node "$2"' _ "$output" "$REPO/test/support/check-report.mjs"
  assert_line "summary 20 20 0 0 0"
}

@test "sequential plugins run one at a time, in declaration order" {
  cat >config.yaml <<'YAML'
plugins:
  - plugin: { name: first, type: shell, shell_command: "echo first >>order; sleep 0.3; echo first-done >>order" }
  - plugin: { name: second, type: shell, shell_command: "echo second >>order" }
  - plugin: { name: third, type: shell, shell_command: "echo third >>order" }
YAML
  hyp_compile config.yaml runner.sh
  run hyp_runner runner.sh run
  assert_success
  run cat order
  assert_output "$(printf 'first\nfirst-done\nsecond\nthird')"
}

@test "a plugin past its trigger_timeout is reported as timeout within 4 s, with no process left" {
  # `sleep` under a name of this test's own, so pgrep finds exactly the processes it started.
  marker="hyp-sleep-$$-$BATS_TEST_NUMBER"
  mkdir bin && ln -s "$(command -v sleep)" "bin/$marker"
  cat >config.yaml <<YAML
plugins:
  - plugin:
      name: hangs
      type: shell
      # A child, a grandchild, and one that escapes into the background (re-parented away).
      shell_command: "sh -c '$marker 100 & $marker 100; wait' & ($marker 100 &); $marker 100"
      trigger: { trigger_timeout: 2s }
YAML
  hyp_compile config.yaml runner.sh
  start=$(now_ms)
  run sh -c 'PATH="$PWD/bin:$PATH" $1 runner.sh run | node "$2"' _ "$HYP_SH" "$REPO/test/support/check-report.mjs"
  elapsed=$(($(now_ms) - start))
  assert_line "hangs timeout - timeout,failure -"
  assert_line "summary 1 0 0 1 0"
  [ "$elapsed" -lt 4000 ] || fail "took ${elapsed} ms"
  sleep 0.2
  run live_processes "$marker"
  [ "$status" -ne 0 ] || fail "processes left: $(pgrep -af "$marker")"
}

@test "hostile names, commands and hypotheses compile to a runner that runs exactly the text" {
  canary="$BATS_TEST_TMPDIR/canary"
  cat >config.yaml <<YAML
service: "svc \$(touch $canary) \`touch $canary\` ; touch $canary 'q' \"dq\" ünï ☃"
plugins:
  - plugin:
      name: quotes.and-dashes_1
      type: shell
      hypothesis: "it's \$(touch $canary) \`touch $canary\`; newline\nhere"
      shell_command: |
        printf '%s\n' 'single '\''quoted'\'' \$(touch $canary)' "double \\\$(touch $canary) \\\`x\\\`" ; printf '%s\n' "ünï ☃ ;|&<>"
YAML
  hyp_compile config.yaml runner.sh
  run sh -n runner.sh
  assert_success
  run shellcheck -s sh runner.sh
  assert_success
  run sh -c '$1 runner.sh run' _ "$HYP_SH"
  [ ! -e "$canary" ] || fail "an injection ran: $canary exists"
  run sh -c '$1 runner.sh run | node -e "
    const lines = require(\"fs\").readFileSync(0, \"utf8\").trim().split(\"\n\").map(JSON.parse);
    console.log(lines[0].service); console.log(lines[0].output);"' _ "$HYP_SH"
  assert_line --index 0 "svc \$(touch $canary) \`touch $canary\` ; touch $canary 'q' \"dq\" ünï ☃"
  assert_line --index 1 "single 'quoted' \$(touch $canary)"
  assert_line --index 2 "double \$(touch $canary) \`x\`"
  assert_line --index 3 "ünï ☃ ;|&<>"
  [ ! -e "$canary" ] || fail "an injection ran: $canary exists"
}

@test "script plugins are inlined: the runner works without the script file" {
  printf '#!/bin/sh -e\necho "script ran as $0 with $#"\n' >check.sh
  cat >config.yaml <<'YAML'
plugins:
  - plugin: { name: inlined, type: script, path: check.sh }
YAML
  hyp_compile config.yaml runner.sh
  rm check.sh
  run sh -c '$1 runner.sh run' _ "$HYP_SH"
  assert_success
  assert_output --partial '"output":"script ran as '
}

@test "run --only runs one plugin and its chain; --trigger picks roots by trigger" {
  cat >config.yaml <<'YAML'
plugins:
  - plugin:
      name: periodic-root
      type: shell
      shell_command: "true"
      conditionals: [ { response: success, child_name: child } ]
      trigger: { trigger_type: [periodic], trigger_interval: 30s }
  - plugin: { name: child, type: shell, shell_command: "true" }
  - plugin:
      name: liveness-root
      type: shell
      shell_command: "true"
      trigger: { trigger_type: [on_liveness_failure] }
YAML
  hyp_compile config.yaml runner.sh
  run sh -c '$1 runner.sh run --trigger periodic | node "$2"' _ "$HYP_SH" "$REPO/test/support/check-report.mjs"
  assert_line "periodic-root pass - success,exit_0 -"
  assert_line "child pass periodic-root success,exit_0 -"
  refute_line --partial "liveness-root"
  run sh -c '$1 runner.sh run --only liveness-root | node "$2"' _ "$HYP_SH" "$REPO/test/support/check-report.mjs"
  assert_line "summary 1 1 0 0 0"
  run hyp_runner runner.sh run --only nope
  assert_failure 2
  assert_output --partial "no plugin is named 'nope'"
  run hyp_runner runner.sh run --trigger sometimes
  assert_failure 2
}

@test "list, version and usage" {
  cp "$REPO/examples/seed-shell-command.yaml" config.yaml
  hyp_compile config.yaml runner.sh
  run hyp_runner runner.sh list
  assert_success
  assert_line --index 1 "* call-openai  shell, parallel, timeout 60s  on: on_liveness_failure periodic (every 5s)"
  assert_line --index 2 "      http_2xx -> plugin-do-something"
  assert_line --index 3 "      not_http_2xx -> (end of branch)"
  # A prebuilt plugin's line names its prebuilt.
  cp "$REPO/examples/seed-prebuilt.yaml" prebuilt.yaml
  hyp_compile prebuilt.yaml prebuilt.sh
  run hyp_runner prebuilt.sh list
  assert_success
  assert_line --index 1 "* AWS-STS  prebuilt AWS-STS, parallel, timeout 60s  on: on_liveness_failure periodic (every 5s)"
  assert_line --index 4 "  plugin-do-something  shell, sequential, timeout 20s"
  run hyp_runner runner.sh version
  assert_success
  assert_line --regexp '^config sha256:[0-9a-f]{64}$'
  hyp_compile config.yaml annotated.sh --source-lines
  run hyp_runner annotated.sh version
  assert_line --regexp '^config config.yaml sha256:[0-9a-f]{64}$'
  run hyp_runner runner.sh frobnicate
  assert_failure 2
  assert_output --partial "usage:"
  run hyp_runner runner.sh
  assert_failure 2
}

@test "a failing exit code fails the run; the deepest failure is the verdict" {
  cat >config.yaml <<'YAML'
plugins:
  - plugin:
      name: outer
      type: shell
      shell_command: "echo outer broke; exit 3"
      conditionals: [ { response: exit_3, child_name: inner }, { response: not_failure, child_name: None } ]
  - plugin: { name: inner, type: shell, hypothesis: "the disk is full", shell_command: "echo no space left >&2; exit 1" }
YAML
  hyp_compile config.yaml runner.sh
  run sh -c '$1 runner.sh run | node "$2"' _ "$HYP_SH" "$REPO/test/support/check-report.mjs"
  assert_line "outer fail - failure,exit_3 -"
  assert_line "inner fail outer failure,exit_1 -"
  assert_line "verdict confirmed: the disk is full (inner failed: no space left)"
  run hyp_runner runner.sh run
  assert_failure 1
}

@test "a plugin pack from examples/ is inlined and runs: HEARTBEAT fresh, stale and missing" {
  mkdir -p examples
  cp -r "$REPO/examples/packs" examples/
  sed "s|/tmp/worker.heartbeat|$BATS_TEST_TMPDIR/heartbeat|" "$REPO/examples/worker.yaml" >examples/worker.yaml
  hyp_compile examples/worker.yaml runner.sh
  grep -q '^# ---- ./packs/worker-checks/heartbeat.sh (prebuilt HEARTBEAT) ----$' runner.sh

  touch heartbeat
  run sh -c '$1 runner.sh run --only worker-heartbeat | node "$2"' _ "$HYP_SH" "$REPO/test/support/check-report.mjs"
  assert_success
  assert_line 'worker-heartbeat pass - success,exit_0 -'

  touch -d '10 minutes ago' heartbeat
  run sh -c '$1 runner.sh run --only worker-heartbeat | node "$2"' _ "$HYP_SH" "$REPO/test/support/check-report.mjs"
  assert_line 'worker-heartbeat fail - failure,exit_1 -'
  assert_line --regexp '^verdict confirmed: the worker loop is stuck \(worker-heartbeat failed: HEARTBEAT .*/heartbeat: touched (599|6[0-9][0-9]) s ago, over the limit of 120 s: the worker looks stuck\)$'

  rm heartbeat
  run sh -c '$1 runner.sh run --only worker-heartbeat | node "$2"' _ "$HYP_SH" "$REPO/test/support/check-report.mjs"
  assert_line --regexp '^verdict confirmed: .*no such file: the worker never started, or writes elsewhere\)$'
}
