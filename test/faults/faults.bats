#!/usr/bin/env bats
# Fault drills (RELIABILITY.md): each breaks one thing a runner depends on and asserts what must
# survive. Run under dash, bash --posix and busybox sh only (package.json's test script): they
# exercise the runtime's handling of the outside world, not shell dialects, and CI's budget is
# tight. Some need root (mount namespaces for a full, read-only or resolver-less world), as CI is.

setup_file() {
  load ../shell/runner-helpers
  export MARK="fault-$$-$RANDOM"
  cd "$BATS_FILE_TMPDIR"
  probe_config sigkill.yaml 1ms '"echo first-done"' "\"sh -c 'sleep 30; : $MARK' & sleep 31; : $MARK\""
  probe_config full.yaml 1ms "\"printf 'nul[\\\\000] ff[\\\\377] overlong[\\\\300\\\\257] cut[\\\\342\\\\202]\\\\n'; exit 3\"" '"echo fine"'
  probe_config diagnose.yaml 1ms '"echo diagnosed; exit 1"'
  probe_config flood.yaml 1ms "\"yes 'ten megabytes of output' | head -c 10485760; : $MARK\"" \
    "\"head -c 10485760 /dev/zero | tr '\\\\000' x; : $MARK\"" '"echo after-the-flood"'
  probe_config storm.yaml 3s "\"sleep 1; echo slow; : $MARK; exit 1\""
  cat >dns.yaml <<YAML
service: dns-drill
sinks:
  - { type: webhook, name: hook, url: "http://hooks.fault-drill.example/in", timeout: 1s, retries: 0 }
plugins:
  - plugin:
      name: api
      type: shell
      parallel: true
      hypothesis: the API's name does not resolve
      shell_command: "curl -sS -o /dev/null http://api.fault-drill.example/health"
      trigger: { trigger_timeout: 2s }
  - plugin: { name: dns, type: prebuilt, prebuilt: DNS, parallel: true, with: { name: api.fault-drill.example, timeout: 1s }, trigger: { trigger_timeout: 3s } }
  - plugin: { name: local, type: shell, parallel: true, shell_command: "echo $MARK" }
YAML
  cat >bytes.yaml <<'YAML'
service: "bytes \u00e9 \"quoted\""
plugins:
  - plugin:
      name: bytes
      type: shell
      hypothesis: "h\u00e9 \"q\" \\ back"
      shell_command: "printf 'a\\000b \\377\\376 \\355\\240\\200 \\360\\237\\232\\200 \\033[1m \\r\\t caf\\303\\251 \\300\\200 end\\342'; exit 1"
YAML
  # One node process for every runner of the file (a node start costs more than most drills).
  node "$REPO/test/faults/compile-all.mjs" ./*.yaml
}

setup() {
  load ../shell/runner-helpers
  cd "$BATS_TEST_TMPDIR"
  export HYP_STATE_DIR="$BATS_TEST_TMPDIR/state" HYP_CONTAINER_LOG="$BATS_TEST_TMPDIR/container.log"
  export HYP_RUNNER_SHELL=$HYP_SH
  : >"$HYP_CONTAINER_LOG"
}

# runner NAME: this test's runner.sh: the one compiled from NAME.yaml (setup_file).
runner() {
  cp "$BATS_FILE_TMPDIR/$1.sh" runner.sh
}

teardown() {
  if [ -s "$HYP_STATE_DIR/diagnostics.lock/pid" ]; then
    pkill -KILL -s "$(cat "$HYP_STATE_DIR/diagnostics.lock/pid")" 2>/dev/null || true
  fi
  pkill -KILL -f "$MARK" 2>/dev/null || true
  [ -z "${DNS_PID:-}" ] || kill "$DNS_PID" 2>/dev/null || true
  [ -z "${CENSUS_PID:-}" ] || kill "$CENSUS_PID" 2>/dev/null || true
}

# lines FILE: the strict digest of a report file (test/faults/json-lines.mjs).
lines() {
  node "$REPO/test/faults/json-lines.mjs" "$1"
}

# wait_for TEXT FILE [TENTHS]: until FILE holds TEXT (default up to 10 s).
wait_for() {
  for _ in $(seq 1 "${3:-100}"); do
    grep -q -s -F "$1" "$2" && return 0
    sleep 0.1
  done
  return 1
}

# gone PID...: true when none of them runs any more (a zombie is gone: PID 1 may never reap it).
gone() {
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] || continue
    case $(sed 's/.*) //' "/proc/$p/stat") in Z*) ;; *) return 1 ;; esac
  done
}

# probe_config FILE COOLDOWN SHELL_COMMAND...: a config with a liveness probe that fails (the
# file it tests never exists) and one plugin per command (YAML text; sequential, in order),
# named p1, p2, ...
probe_config() {
  _file=$1
  shift
  {
    printf '%s\n' "service: drill" "probes:" "  liveness: { exec: \"test -e $BATS_FILE_TMPDIR/healthy\", timeout: 1s }" "  cooldown: $1" "plugins:"
    shift
    n=0
    for command in "$@"; do
      n=$((n + 1))
      printf '  - plugin: { name: p%s, type: shell, shell_command: %s, trigger: { trigger_timeout: 20s } }\n' "$n" "$command"
    done
  } >"$_file"
}

@test "SIGKILL of a running diagnosis: whole lines so far; the next failure starts a run; the dead run's plugins and folder go" {
  runner sigkill
  run hyp_runner runner.sh probe liveness
  assert_output --partial "diagnostics started"
  wait_for '"plugin":"p1"' "$HYP_CONTAINER_LOG" || fail "no first result"
  for _ in $(seq 1 50); do pgrep -f "$MARK" >/dev/null && break; sleep 0.1; done
  holder=$(cat "$HYP_STATE_DIR/diagnostics.lock/pid")
  # The run itself, not its session: its plugins are orphaned, as after the OOM killer.
  kill -KILL "$holder"
  for _ in $(seq 1 50); do gone "$holder" && break; sleep 0.1; done
  orphans=$(pgrep -f "$MARK" | tr '\n' ' ')
  [ -n "$orphans" ] || fail "the drill needs the plugin running when its run dies"
  run lines "$HYP_CONTAINER_LOG"
  assert_success
  assert_output "p1 pass"
  [ -d "$HYP_STATE_DIR/run.$holder" ]
  # The dead holder's lock does not block diagnostics: the next failure starts a run, which
  # ends the orphans (bounded: they outlive their dead run only until the next run starts).
  run hyp_runner runner.sh probe liveness
  assert_output --partial "diagnostics started"
  for _ in $(seq 1 30); do
    # shellcheck disable=SC2086
    gone $orphans && break
    sleep 0.1
  done
  # shellcheck disable=SC2086
  gone $orphans || fail "the dead run's plugin processes still run: $orphans"
  [ ! -e "$HYP_STATE_DIR/run.$holder" ] || fail "the dead run's folder is still there"
}

@test "a full state folder: the run moves to TMPDIR; with nothing writable, it runs unstored; the report is whole either way" {
  [ "$(id -u)" = 0 ] || fail "needs root, for a mount namespace"
  runner full
  mkdir full tmp
  # shellcheck disable=SC2016
  fill='mount -t tmpfs -o size=64k tmpfs "$1" && dd if=/dev/zero of="$1/fill" bs=4k 2>/dev/null; [ "$(df -P "$1" | awk "NR == 2 { print \$4 }")" = 0 ] || exit 98; shift; exec "$@"'
  HYP_STATE_DIR=$PWD/full TMPDIR=$PWD/tmp unshare -m sh -c "$fill" fill "$PWD/full" $HYP_SH runner.sh run >stored.jsonl || true
  run lines stored.jsonl
  assert_success
  assert_output "p1 fail
p2 pass
summary 2 1 1 0 0"
  [ -d tmp/hypothecary ]
  grep -q -F '"output":"nul[\ufffd] ff[\ufffd] overlong[\ufffd\ufffd] cut[\ufffd\ufffd]"' stored.jsonl || fail "$(grep p1 stored.jsonl)"
  # Nothing writable at all: /tmp and /dev/shm read-only, the state folder and TMPDIR full.
  LOG=$BATS_TEST_TMPDIR/log
  mkdir -p "$LOG"
  HYP_STATE_DIR=$PWD/full TMPDIR=$PWD/full read_only sh -c "$fill" fill "$PWD/full" $HYP_SH runner.sh run >unstored.jsonl || true
  run lines unstored.jsonl
  assert_success
  assert_line --partial "notice no writable folder for run state"
  assert_line "summary 2 1 1 0 0"
  grep -q -F '"output":"nul[\ufffd] ff[\ufffd] overlong[\ufffd\ufffd] cut[\ufffd\ufffd]"' unstored.jsonl || fail "$(grep p1 unstored.jsonl)"
}

@test "a read-only state folder: the probe answers and diagnoses from TMPDIR; the report reaches the log" {
  [ "$(id -u)" = 0 ] || fail "needs root, for a mount namespace"
  runner diagnose
  mkdir -p ro tmp
  # shellcheck disable=SC2016
  ro='mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 99; shift; exec "$@"'
  HYP_STATE_DIR=$PWD/ro TMPDIR=$PWD/tmp run unshare -m sh -c "$ro" ro "$PWD/ro" $HYP_SH runner.sh probe liveness
  assert_failure 1
  assert_output --regexp '^hypothecary liveness: FAIL \(exit 1\); diagnostics started'
  wait_for '"event":"summary"' "$HYP_CONTAINER_LOG" || fail "no report in the container log"
  run lines "$HYP_CONTAINER_LOG"
  assert_success
  assert_output "p1 fail
summary 1 0 1 0 0"
  [ -z "$(ls -A ro)" ]
  [ -e tmp/hypothecary/last-run ]
}

@test "DNS down: a dropped lookup times out at its deadline, a refused one fails with why; a sink on a name fails; the run completes" {
  [ "$(id -u)" = 0 ] || fail "needs root, for a mount namespace and port 53"
  # Addresses of their own in 127/8: the matrix runs three shells at once.
  net="127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1))"
  node "$REPO/test/faults/dns-blackhole.mjs" "$net.2" "$BATS_TEST_TMPDIR/dns.state" 3>&- &
  DNS_PID=$!
  wait_for ready dns.state 50 || fail "the black-hole resolver did not start"
  printf 'nameserver %s.2\n' "$net" >blackhole.conf
  printf 'nameserver %s.3\n' "$net" >refused.conf
  runner dns
  # shellcheck disable=SC2016
  resolv='mount --bind "$1" /etc/resolv.conf || exit 99; shift; exec "$@"'
  for world in blackhole refused; do
    start=$(now_ms)
    unshare -m sh -c "$resolv" resolv "$PWD/$world.conf" $HYP_SH runner.sh run >"$world.jsonl" 2>"$world.err" || true
    elapsed=$(($(now_ms) - start))
    run lines "$world.jsonl"
    assert_success
    assert_line "local pass"
    assert_line --regexp '^sink hook failed$'
    if [ "$world" = blackhole ]; then
      assert_line "api timeout"
      assert_line --regexp '^dns (fail|timeout)$'
    else
      assert_line "api fail"
      assert_line "dns fail"
      grep '"plugin":"api"' refused.jsonl | grep -q 'Could not resolve host' || fail "$(grep '"plugin":"api"' refused.jsonl)"
    fi
    # Deadlines hold: api 2 s beside dns 3 s at most, then the sink: one attempt of 1 s.
    [ "$elapsed" -lt 12000 ] || fail "$world: the run took $elapsed ms"
    echo "# DNS $world: run with a sink on a name done in $elapsed ms" >&3
  done
  kill "$DNS_PID"
  wait_for queries dns.state 30
  grep -q -E '^queries [1-9]' dns.state || fail "the black hole saw no query: $(cat dns.state)"
}

@test "an unwritable container log (a pipe no one reads, /dev/full, a folder): the report falls back, says so, and the lock is freed" {
  runner diagnose
  mkfifo pipe
  for target in "$PWD/pipe" /dev/full "$PWD"; do
    rm -rf "$HYP_STATE_DIR"
    start=$(now_ms)
    HYP_CONTAINER_LOG=$target run hyp_runner runner.sh probe liveness
    assert_output --partial "diagnostics started"
    wait_for '"event":"summary"' "$HYP_STATE_DIR/report.jsonl" 60 || fail "$target: no report in the fallback"
    elapsed=$(($(now_ms) - start))
    run lines "$HYP_STATE_DIR/report.jsonl"
    assert_success
    assert_output "notice cannot write the container log $target; the report goes to $HYP_STATE_DIR/report.jsonl
p1 fail
summary 1 0 1 0 0"
    for _ in $(seq 1 30); do [ -e "$HYP_STATE_DIR/diagnostics.lock" ] || break; sleep 0.1; done
    [ ! -e "$HYP_STATE_DIR/diagnostics.lock" ] || fail "$target: the run still holds the lock"
    echo "# container log $target: fallback report whole after $elapsed ms" >&3
  done
  # A pipe that is read gets every line, as PID 1's stdout does under a container runtime.
  rm -rf "$HYP_STATE_DIR"
  cat <>pipe >read.jsonl &
  reader=$!
  HYP_CONTAINER_LOG=$PWD/pipe run hyp_runner runner.sh probe liveness
  wait_for '"event":"summary"' read.jsonl 60 || fail "the reader got no summary"
  kill "$reader"
  run lines read.jsonl
  assert_success
  assert_output "p1 fail
summary 1 0 1 0 0"
  [ ! -e "$HYP_STATE_DIR/report.jsonl" ]
}

@test "a plugin printing 10 MB: its line is capped, the run stays quick, the next plugin is untouched, nothing is left on disk" {
  runner flood
  start=$(now_ms)
  run sh -c '$1 runner.sh run >report.jsonl' _ "$HYP_SH"
  elapsed=$(($(now_ms) - start))
  run lines report.jsonl
  assert_success
  assert_output "p1 pass
p2 pass
p3 pass
summary 3 3 0 0 0"
  grep '"plugin":"p1"' report.jsonl | grep -q -F '[truncated: 10485760 bytes in all]' || fail "$(grep p1 report.jsonl | cut -c1-300)"
  grep '"plugin":"p2"' report.jsonl | grep -q -F '[truncated: 10485760 bytes in all]'
  grep -q -F '"output":"after-the-flood"' report.jsonl
  [ "$(wc -L <report.jsonl)" -lt 4096 ]
  [ -z "$(ls -A "$HYP_STATE_DIR" | grep -v -x -e .writable)" ] || fail "left behind: $(ls -A "$HYP_STATE_DIR")"
  [ "$elapsed" -lt 8000 ] || fail "the run took $elapsed ms"
  echo "# 2 x 10 MB of output: run in $elapsed ms" >&3
}

@test "NUL bytes, invalid UTF-8 and control bytes in output: every line valid JSON, U+FFFD for each bad byte, the rest exact" {
  runner bytes
  run sh -c '$1 runner.sh run >report.jsonl' _ "$HYP_SH"
  assert_failure 1
  run lines report.jsonl
  assert_success
  run node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse);
    const r = lines.find((l) => l.event === "result");
    const s = lines.find((l) => l.event === "summary");
    const want = "a\ufffdb \ufffd\ufffd \ufffd\ufffd\ufffd \u{1f680} \u001b[1m \r\t caf\u00e9 \ufffd\ufffd end\ufffd";
    console.log(r.output === want ? "output exact" : "output " + JSON.stringify(r.output) + " wanted " + JSON.stringify(want));
    console.log(r.service);
    console.log(s.verdict);' report.jsonl
  assert_line --index 0 "output exact"
  assert_line --index 1 'bytes é "quoted"'
  assert_line --index 2 --partial 'confirmed: hé "q" \ back (bytes failed: '
}

@test "100 probe failures in 10 s: runs start no more often than the cooldown allows, each probe answers in time, no pile-up" {
  runner storm
  # Every second: how many diagnostics runs (sessions running this runner's `run`) and how many
  # plugin processes there are. The absolute path is this test's own runner, no one else's.
  (
    set +e
    while :; do
      runs=$(pgrep -f "$PWD/runner.sh run" | xargs -r ps -o sid= -p | sort -u | grep -c .)
      printf '%s %s\n' "$runs" "$(pgrep -f "$MARK" | grep -c .)" >>census
      sleep 0.1
    done
  ) </dev/null >/dev/null 2>&1 3>&- &
  CENSUS_PID=$!
  start=$(now_ms)
  for wave in $(seq 1 10); do
    for i in $(seq 1 10); do
      (
        t0=$(now_ms)
        out=$(hyp_runner "$PWD/runner.sh" probe liveness) || true
        printf '%s %s %s\n' "$(($(now_ms) - t0))" "$t0" "$out" >"probes.$wave.$i"
      ) &
    done
    wait_ms=$((wave * 1000 - ($(now_ms) - start)))
    [ "$wait_ms" -le 0 ] || sleep "$((wait_ms / 1000)).$(printf '%03d' $((wait_ms % 1000)))"
  done
  elapsed=$(($(now_ms) - start))
  for _ in $(seq 1 50); do [ "$(cat probes.* | grep -c .)" -ge 100 ] && break; sleep 0.1; done
  cat probes.* >probes.out
  [ "$(grep -c -F 'hypothecary liveness: FAIL' probes.out)" -eq 100 ] || fail "$(cut -d' ' -f3- probes.out | sort | uniq -c)"
  started=$(grep -c 'diagnostics started' probes.out)
  slowest=$(sort -n probes.out | tail -n 1 | cut -d' ' -f1)
  # A cooldown of 3 s over the 10 s. The probe counts it in whole seconds (date +%s), so two
  # starts are at least 2 s apart (3 s less the second's granularity): 5 at most in 10 s.
  [ "$started" -ge 2 ] && [ "$started" -le 5 ] || fail "$started runs started: $(cut -d' ' -f3- probes.out | sort | uniq -c)"
  # Each run's stamp is taken somewhere inside its probe, between the probe's start T0 and its
  # end T0 + ELAPSED: two runs may have started at most T0_B + ELAPSED_B - T0_A apart. Below 2 s,
  # they were certainly too close.
  closest=$(grep 'diagnostics started' probes.out | sort -n -k2 |
    awk 'NR > 1 && (m == "" || $2 + $1 - p < m) { m = $2 + $1 - p } { p = $2 } END { print m }')
  [ "$closest" -ge 2000 ] || fail "two runs started at most $closest ms apart"
  # The check's deadline is 1 s; `hypothecary k8s` gives the kubelet's exec 2 s more than that.
  [ "$slowest" -lt 3000 ] || fail "the slowest probe took $slowest ms"
  for _ in $(seq 1 40); do
    [ "$(grep -c '"event":"summary"' "$HYP_CONTAINER_LOG")" -ge "$started" ] && ! pgrep -f "$MARK" >/dev/null && break
    sleep 0.1
  done
  kill "$CENSUS_PID"
  most_runs=$(sort -n census | tail -n 1 | cut -d' ' -f1)
  most_plugins=$(sort -n -k2 census | tail -n 1 | cut -d' ' -f2)
  # One run at a time, each with its one plugin (sh -c and its sleep).
  [ "$most_runs" -le 1 ] || fail "$most_runs runs at once: $(sort census | uniq -c)"
  [ "$most_plugins" -le 2 ] || fail "$most_plugins plugin processes at once: $(sort census | uniq -c)"
  run lines "$HYP_CONTAINER_LOG"
  assert_success
  [ "$(grep -c '^summary ' <<<"$output")" -eq "$started" ] || fail "$output"
  # Each failure that started no run is counted in the report of a later run; those after the
  # last run wait, counted, for the next.
  reported=$(grep '^suppressed ' <<<"$output" | awk '{ n += $2 } END { print n + 0 }')
  pending=$(grep -c . "$HYP_STATE_DIR/suppressed" 2>/dev/null || true)
  [ $((reported + ${pending:-0} + started)) -eq 100 ] || fail "reported $reported, pending $pending, started $started"
  run pgrep -f "$MARK"
  assert_failure 1
  echo "# 100 failures in $elapsed ms: $started runs, closest two at most $closest ms apart, slowest probe $slowest ms, at most $most_runs run(s) and $most_plugins plugin processes at once; $reported suppressed reported, ${pending:-0} pending" >&3
}
