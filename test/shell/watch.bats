#!/usr/bin/env bats
# `runner.sh watch` under the shell in $HYP_SH: periodic roots on their interval without drift,
# never two runs of one plugin at once (the skipped tick is reported), a stop on TERM within 1 s
# that leaves no process behind, whether a run is going or the watch sleeps, and its usage errors.

setup() {
  load runner-helpers
  cd "$BATS_TEST_TMPDIR"
  export HYP_STATE_DIR="$BATS_TEST_TMPDIR/state" HYP_RUNNER_SHELL=$HYP_SH
  # Every process the watch starts inherits this; none may have it once the watch is gone.
  MARK="watch-$$-$BATS_TEST_NUMBER"
  WATCH_PID=
}

teardown() {
  [ -z "$WATCH_PID" ] || kill -KILL "$WATCH_PID" 2>/dev/null || true
  pkill -KILL -f "hyp-sleep-$$-" 2>/dev/null || true
}

# start_watch ARGS...: `runner.sh watch ARGS` in the background, stdout in out, stderr in err.
start_watch() {
  # shellcheck disable=SC2086 # HYP_SH is a command with its options
  HYP_TEST_MARK=$MARK $HYP_SH runner.sh watch "$@" >out 2>err 3>&- &
  WATCH_PID=$!
}

# stop_watch: TERM, then the watch's exit status in WATCH_STATUS and the time it took in STOP_MS.
stop_watch() {
  local start
  start=$(now_ms)
  kill -TERM "$WATCH_PID"
  WATCH_STATUS=0
  wait "$WATCH_PID" || WATCH_STATUS=$?
  STOP_MS=$(($(now_ms) - start))
  WATCH_PID=
}

# wait_for COUNT PATTERN FILE [SECONDS]: until FILE has COUNT lines matching PATTERN.
wait_for() {
  local i n
  for i in $(seq 1 $((${4:-10} * 20))); do
    n=$(grep -c -- "$2" "$3" 2>/dev/null) || true
    [ "${n:-0}" -ge "$1" ] && return 0
    sleep 0.05
  done
  fail "after ${4:-10} s, $3 has $(grep -c -- "$2" "$3" 2>/dev/null) of $1 lines matching $2: $(cat "$3" 2>/dev/null) / $(cat err 2>/dev/null)"
}

assert_no_leftovers() {
  local left
  left=$(grep -lzs "^HYP_TEST_MARK=$MARK\$" /proc/[0-9]*/environ | cut -d/ -f3 | paste -sd, -)
  [ -z "$left" ] && return 0
  ps -o pid,ppid,stat,args -p "$left" >&2 || true
  fail "processes left behind: $left"
}

@test "10 cycles of a 1 s interval: run k starts k s after run 0 (no drift), one run at a time" {
  cat >config.yaml <<YAML
service: watched
plugins:
  - plugin:
      name: tick
      type: shell
      shell_command: "read up idle </proc/uptime; echo start \$up >>$BATS_TEST_TMPDIR/runs.log; sleep 0.3; read up idle </proc/uptime; echo end \$up >>$BATS_TEST_TMPDIR/runs.log; echo ticked"
      trigger: { trigger_type: periodic, trigger_interval: 1s, trigger_timeout: 5s }
YAML
  hyp_compile config.yaml runner.sh
  start_watch
  wait_for 10 '"event":"summary"' out 14
  stop_watch
  [ "$WATCH_STATUS" -eq 0 ] || fail "watch exited $WATCH_STATUS: $(cat err)"
  # Starts and ends alternate: no run began before the one before it ended.
  run awk '$1 != (NR % 2 ? "start" : "end") { print "line " NR ": " $0; bad = 1 } END { exit bad }' runs.log
  assert_success
  # Offsets from the k s mark after the first start, in ms; /proc/uptime counts in 10 ms steps.
  # A loop that sleeps 1 s after each run would drift by the run's start-up on every cycle.
  run awk '$1 == "start" { t = $2 * 1000; if (k == 0) t0 = t; printf "%d ", t - t0 - 1000 * k; k++ }' runs.log
  offsets=$output
  echo "offsets (ms): $offsets"
  set -- $offsets
  [ "$#" -ge 10 ] || fail "only $# runs: $offsets"
  for offset in "${@:1:10}"; do
    [ "${offset#-}" -lt 700 ] || fail "a run started ${offset} ms off its tick: $offsets"
  done
  [ "${10#-}" -lt 1000 ] || fail "drift at cycle 10: ${10} ms"
  # Each cycle is one whole report, as `run --trigger periodic` writes it.
  run node -e '
    const lines = require("fs").readFileSync("out", "utf8").trim().split("\n").map(JSON.parse);
    const runs = new Map();
    for (const l of lines) if (l.event === "result" || l.event === "summary") runs.set(l.run_id, [...(runs.get(l.run_id) ?? []), l]);
    const complete = [...runs.values()].filter((r) => r.length === 2 && r[0].plugin === "tick" && r[0].status === "pass" &&
      r[1].event === "summary" && r[1].trigger === "periodic" && r[0].trigger === "periodic" && r[0].output === "ticked");
    const notices = lines.filter((l) => l.event === "notice").map((l) => l.message);
    console.log(`runs ${runs.size} complete ${complete.length}`);
    for (const n of notices) console.log(`notice ${n}`);'
  assert_success
  assert_line --regexp '^runs (10|11) complete (10|11)$'
  assert_line 'notice watch started: tick every 1s'
  # An 11th run may have begun by the time the watch got TERM.
  assert_line --regexp '^notice watch stopped by TERM; runs interrupted: (none|tick)$'
  assert_no_leftovers
}

@test "a run longer than the interval: its ticks are skipped and reported, never two runs at once" {
  cat >config.yaml <<YAML
service: watched
report: { to: [container-log, "file:$BATS_TEST_TMPDIR/report.jsonl"] }
plugins:
  - plugin:
      name: slow
      type: shell
      shell_command: "mkdir $BATS_TEST_TMPDIR/busy || echo OVERLAP >>$BATS_TEST_TMPDIR/runs.log; echo start >>$BATS_TEST_TMPDIR/runs.log; sleep 1.5; echo end >>$BATS_TEST_TMPDIR/runs.log; rmdir $BATS_TEST_TMPDIR/busy"
      trigger: { trigger_type: periodic, trigger_interval: 1s, trigger_timeout: 10s }
  # A second root keeps its own schedule meanwhile.
  - plugin: { name: other, type: shell, shell_command: "echo other", trigger: { trigger_type: periodic, trigger_interval: 2s } }
YAML
  hyp_compile config.yaml runner.sh
  start_watch
  # Run 1 at 0 s (tick 1 skipped), run 2 at 2 s; then tick 3 comes during run 2.
  wait_for 2 '^start' runs.log 8
  wait_for 2 '"event":"suppressed"' out 3
  stop_watch
  [ "$WATCH_STATUS" -eq 0 ] || fail "watch exited $WATCH_STATUS: $(cat err)"
  # Run 2 may have ended too when the machine is slow to stop the watch; never two at once.
  run cat runs.log
  [[ $output == $'start\nend\nstart' || $output == $'start\nend\nstart\nend' ]] || fail "runs.log: $output"
  run node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
    for (const l of lines) if (l.event === "suppressed") console.log(`suppressed ${l.plugin} ${l.trigger} ${l.count} ${l.reasons}`);
    const plugins = new Map(lines.filter((l) => l.event === "result").map((l) => [l.run_id, l.plugin]));
    for (const l of lines) if (l.event === "summary") console.log(`summary ${plugins.get(l.run_id)}`);
    for (const l of lines) if (l.event === "notice") console.log(`notice ${l.message}`);' out
  assert_success
  [ "$(grep -c '^suppressed slow periodic 1 overlap: the previous run of slow (started [0-9]s ago) is still going; this tick was skipped$' <<<"$output")" -ge 2 ] ||
    fail "$output"
  assert_line 'summary slow'
  [ "$(grep -c '^summary other$' <<<"$output")" -ge 2 ] || fail "$output"
  refute_line --partial 'suppressed other'
  assert_line --regexp '^notice watch stopped by TERM; runs interrupted: slow(, other)?$'
  # The other destinations get the same lines.
  [ "$(grep -c '"event":"suppressed"' report.jsonl)" -eq "$(grep -c '"event":"suppressed"' out)" ] || fail "$(cat report.jsonl)"
  assert_no_leftovers
}

@test "TERM during a run stops the watch within 1 s, exit 0, with every process of the run gone" {
  # `sleep` under a name of this test's own: a child, a grandchild and one that escapes.
  marker="hyp-sleep-$$-$BATS_TEST_NUMBER"
  mkdir bin && ln -s "$(command -v sleep)" "bin/$marker"
  cat >config.yaml <<YAML
plugins:
  - plugin:
      name: hangs
      type: shell
      shell_command: "echo >$BATS_TEST_TMPDIR/started; sh -c '$marker 100 & $marker 100; wait' & ($marker 100 &); $marker 100"
      trigger: { trigger_type: periodic, trigger_interval: 1s, trigger_timeout: 60s }
YAML
  hyp_compile config.yaml runner.sh
  PATH="$PWD/bin:$PATH" start_watch
  wait_for 1 '' started 5
  # Past the tick at 1 s, which the hanging run makes the watch skip.
  sleep 1.1
  [ "$(pgrep -c -f "$marker")" -ge 4 ] || fail "the plugin's processes did not start: $(pgrep -af "$marker")"
  stop_watch
  echo "stopped in $STOP_MS ms"
  [ "$WATCH_STATUS" -eq 0 ] || fail "watch exited $WATCH_STATUS: $(cat err)"
  [ "$STOP_MS" -lt 1000 ] || fail "the watch took $STOP_MS ms to stop"
  # Zombies do not count: where PID 1 reaps no orphans (some containers, this CI), a killed
  # process that had escaped its parent stays one.
  run sh -c 'ps -eo stat=,pid=,args= | grep -v "^Z" | grep -F -- "$1" | grep -v grep' _ "$marker"
  assert_output ''
  assert_no_leftovers
  run cat out
  assert_line --partial '"message":"watch stopped by TERM; runs interrupted: hangs"'
  assert_line --partial '"event":"suppressed"'
  run ls "$HYP_STATE_DIR"
  assert_output ''
}

@test "TERM while the watch sleeps between ticks: stops within 1 s, not at the next tick" {
  cat >config.yaml <<YAML
plugins:
  - plugin: { name: quick, type: shell, shell_command: "echo ok", trigger: { trigger_type: periodic, trigger_interval: 1m } }
YAML
  hyp_compile config.yaml runner.sh
  start_watch
  wait_for 1 '"event":"summary"' out 5
  sleep 0.2
  stop_watch
  echo "stopped in $STOP_MS ms"
  [ "$WATCH_STATUS" -eq 0 ] || fail "watch exited $WATCH_STATUS: $(cat err)"
  [ "$STOP_MS" -lt 1000 ] || fail "the watch took $STOP_MS ms to stop"
  assert_no_leftovers
}

@test "watch usage: no periodic plugin, --only a plugin that is not periodic or not there, a bad argument" {
  cat >config.yaml <<YAML
plugins:
  - plugin: { name: manual-only, type: shell, shell_command: "true", trigger: { trigger_type: manual } }
YAML
  hyp_compile config.yaml runner.sh
  run hyp_runner runner.sh watch
  assert_failure 2
  assert_output 'hypothecary: watch: no plugin has trigger_type periodic (nothing to watch)'
  ! grep -q "^# ---- runtime/watch.sh" runner.sh || fail "the watch was compiled into a runner that cannot use it"
  cat >config.yaml <<YAML
plugins:
  - plugin: { name: every, type: shell, shell_command: "true", trigger: { trigger_type: periodic } }
  - plugin: { name: manual-only, type: shell, shell_command: "true", trigger: { trigger_type: manual } }
YAML
  hyp_compile config.yaml runner.sh
  run hyp_runner runner.sh watch --only manual-only
  assert_failure 2
  assert_line 'hypothecary: watch: manual-only is not a root with trigger_type periodic (see: sh runner.sh list)'
  run hyp_runner runner.sh watch --only nothing
  assert_failure 2
  assert_line "hypothecary: watch: no plugin is named 'nothing' (see: sh runner.sh list)"
  run hyp_runner runner.sh watch --every 5
  assert_failure 2
  assert_line 'hypothecary: watch: unknown argument: --every'
  assert_line --partial 'watch [--only NAME]'
}
