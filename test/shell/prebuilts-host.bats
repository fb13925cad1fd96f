#!/usr/bin/env bats
# The host-resource prebuilts (stdlib/disk.sh, cgroup-memory.sh, cpu-throttling.sh,
# file-descriptors.sh, process.sh) and their helper stdlib/lib/host.sh: DISK against the real
# filesystem, the cgroup ones against fake cgroup v1 and v2 trees built here, FILE-DESCRIPTORS
# and PROCESS against processes the tests start. Run under one shell:
#   HYP_SH=posh node_modules/bats/bin/bats test/shell/prebuilts-host.bats

load ../support/prebuilt-helpers

setup_file() {
  hyp_shell_argv
  export HYP_BINS=$BATS_FILE_TMPDIR/bin
  # Tool folders: PATH is exactly one of these while a prebuilt runs.
  hyp_bin_dir full cat tr df getconf
  hyp_bin_dir none
  # A busybox-only image: the applets these prebuilts use, and no getconf.
  hyp_busybox_dir busybox
  local applet
  for applet in df tr ls wc; do ln -sf "$(type -P busybox)" "$HYP_BINS/busybox/$applet"; done
}

setup() {
  hyp_shell_argv
  HYP_TEST_MARK="prebuilts-host-$$-$BATS_TEST_NUMBER-$RANDOM"
  STARTED=()
}

teardown() {
  hyp_stop "${STARTED[@]}"
  assert_no_leftovers
}

# start NAME ARG...: starts a process in the background, by a symlink called NAME to the real
# program of ARG[0] (so /proc/PID/comm is NAME); sets PID and adds it to STARTED.
start() {
  local name=$1 prog
  shift
  prog=$(type -P "$1")
  shift
  mkdir -p "$BATS_TEST_TMPDIR/progs"
  ln -sf "$prog" "$BATS_TEST_TMPDIR/progs/$name"
  # 3>&-: bats waits for fd 3 to close.
  "$BATS_TEST_TMPDIR/progs/$name" "$@" </dev/null >/dev/null 2>&1 3>&- &
  PID=$!
  STARTED+=("$PID")
  # Until it has exec'd, the child is a copy of this bash.
  local i comm
  for i in $(seq 100); do
    comm=$(cat "/proc/$PID/comm" 2>/dev/null) || return 0
    [[ $comm == "$name" ]] && return 0
    sleep 0.05
  done
}

# A unique command name (at most 15 characters).
uniq_name() { printf 'h%s%s' "$1" "$RANDOM$RANDOM" | cut -c1-15; }

# The awk duration words of lib/host, in bash, for comparing ages.
dur() {
  local s=$1
  if ((s < 60)); then printf '%d s' "$s"
  elif ((s < 3600)); then printf '%d min %d s' $((s / 60)) $((s % 60))
  elif ((s < 86400)); then printf '%d h %d min' $((s / 3600)) $((s % 3600 / 60))
  else printf '%d d %d h' $((s / 86400)) $((s % 86400 / 3600)); fi
}

# ---- lib/host -----------------------------------------------------------------------------------

@test "stdlib: the host prebuilts and lib/host pass shellcheck -s sh" {
  run shellcheck -s sh "$HYP_ROOT/stdlib/lib/host.sh" "$HYP_ROOT/stdlib/disk.sh" "$HYP_ROOT/stdlib/cgroup-memory.sh" \
    "$HYP_ROOT/stdlib/cpu-throttling.sh" "$HYP_ROOT/stdlib/file-descriptors.sh" "$HYP_ROOT/stdlib/process.sh"
  assert_success
  assert_output ""
}

@test "lib/host: the awk helpers turn numbers into words" {
  local script=$BATS_TEST_TMPDIR/awk.sh bin
  {
    cat "$HYP_ROOT/runtime/plugin-api.sh" "$HYP_ROOT/stdlib/lib/host.sh"
    # shellcheck disable=SC2016
    printf '%s\n' 'awk "$hyp_host_awk"'"'"'BEGIN {
      print hyp_human(512), "|", hyp_human(1536), "|", hyp_human(1073741824), "|", hyp_human(1288490188.8), "|", hyp_human(42949672960), "|", hyp_human(9223372036854771712)
      print hyp_pct(0, 10), hyp_pct(45, 100), hyp_pct(901, 1000), hyp_pct(5, 0)
      print hyp_dur(0), "|", hyp_dur(59.9), "|", hyp_dur(185), "|", hyp_dur(7380), "|", hyp_dur(180000)
      printf "%.0f %.0f %.0f %.0f %.0f %.0f %d %d\n", hyp_size("500M"), hyp_size("2G"), hyp_size("1.5GiB"), hyp_size("100k"), hyp_size("4096"), hyp_size("7 MB"), hyp_size("1x"), hyp_size("")
      print hyp_limit(90, 90), "|", hyp_limit(91, 90), "|", hyp_plural(1, "OOM kill"), "|", hyp_plural(3, "OOM kill")
    }'"'"
  } >"$script"
  # mawk or gawk, and busybox awk (which has no ^ operator in Debian's build, among others).
  for bin in full busybox; do
    hyp_run_script "$script" "$bin"
    assert_success
    assert_output "512 B | 1.5 KiB | 1 GiB | 1.2 GiB | 40 GiB | 8 EiB
0 45 91 0
0 s | 59 s | 3 min 5 s | 2 h 3 min | 2 d 2 h
524288000 2147483648 1610612736 102400 4096 7340032 -1 -1
limit 90% | over the 90% limit | 1 OOM kill | 3 OOM kills"
  done
}

# ---- DISK ---------------------------------------------------------------------------------------

# What df says about PATH: "CAPACITY AVAILABLE_KIB".
df_says() { df -P -k "$1" | awk 'NR == 2 { sub(/%/, "", $5); print $5, $4 }'; }

@test "DISK: within the limit passes, with df's numbers" {
  run_prebuilt full disk path="$BATS_TEST_TMPDIR" max_used=100 max_inodes_used=100
  assert_success
  local cap
  read -r cap _ < <(df_says "$BATS_TEST_TMPDIR")
  # Other tests write to the same filesystem meanwhile: the share may have moved by a point.
  assert_line -n 0 --regexp "^DISK $BATS_TEST_TMPDIR: ($((cap - 1))|$cap|$((cap + 1)))% used \(limit 100%\), [0-9.]+ [KMGTP]iB free of [0-9.]+ [KMGTP]iB; inodes ([0-9]+% used \(limit 100%\)|: unknown)$"
  assert_line -n 1 --regexp "^filesystem .* mounted on /"
}

@test "DISK: over the limit fails, and says by how much" {
  run_prebuilt full disk path=/ max_used=0
  assert_failure 1
  assert_line -n 0 --regexp "^DISK /: [1-9][0-9]*% used \(over the 0% limit\), "
}

@test "DISK: min_free fails when less is free, and passes when enough is" {
  run_prebuilt full disk path=/ max_used=100 min_free=1000P
  assert_failure 1
  assert_line -n 0 --regexp "free of [^;]+ \(below the 1000 PiB minimum\)"
  run_prebuilt full disk path=/ max_used=100 min_free=1K
  assert_success
  assert_line -n 0 --regexp "\(minimum 1 KiB\)"
}

@test "DISK: a missing path fails with a clear line; a bad size is a bad parameter" {
  run_prebuilt full disk path="$BATS_TEST_TMPDIR/nope"
  assert_failure 1
  assert_output "DISK $BATS_TEST_TMPDIR/nope: no such file or directory"
  run_prebuilt full disk path=/ min_free=lots
  assert_failure 2
  assert_output 'DISK /: min_free "lots" is not a size such as 500M, 2G or 1.5GiB'
}

@test "DISK: a busybox-only image gives the same answer through busybox df" {
  run_prebuilt busybox disk path="$BATS_TEST_TMPDIR" max_used=100 max_inodes_used=100
  assert_success
  local cap
  read -r cap _ < <(df_says "$BATS_TEST_TMPDIR")
  # Other tests write to the same filesystem meanwhile: the share may have moved by a point.
  assert_line -n 0 --regexp "^DISK $BATS_TEST_TMPDIR: ($((cap - 1))|$cap|$((cap + 1)))% used \(limit 100%\), [0-9.]+ [KMGTP]iB free of [0-9.]+ [KMGTP]iB; inodes ([0-9]+% used \(limit 100%\)|: unknown)$"
}

@test "DISK: without df it is skipped, with the reason" {
  run_prebuilt none disk
  assert_success
  assert_output "skipped: no df here (looked for df and busybox df)"
  [[ -f $PLUGIN_DIR/skipped ]]
}

# ---- CGROUP-MEMORY ------------------------------------------------------------------------------

MiB=1048576

# v2_memory DIR CURRENT MAX [OOM_KILL [INACTIVE_FILE]]: a cgroup v2 folder.
v2_memory() {
  mkdir -p "$1"
  : >"$1/cgroup.controllers"
  printf '%s\n' "$2" >"$1/memory.current"
  printf '%s\n' "$3" >"$1/memory.max"
  printf 'low 0\nhigh 0\nmax %s\noom %s\noom_kill %s\n' "${4:-0}" "${4:-0}" "${4:-0}" >"$1/memory.events"
  printf 'anon %s\nfile %s\ninactive_file %s\nactive_file 0\n' $(($2 - ${5:-0})) "${5:-0}" "${5:-0}" >"$1/memory.stat"
}

@test "CGROUP-MEMORY/v2: over the limit with OOM kills fails, with the numbers" {
  local root=$BATS_TEST_TMPDIR/cg
  v2_memory "$root" $((980 * MiB)) $((1024 * MiB)) 3
  local bin
  for bin in full busybox; do
    run_prebuilt "$bin" cgroup-memory cgroup_root="$root"
    assert_failure 1
    assert_line -n 0 "CGROUP-MEMORY: 980 MiB of 1 GiB used (96%, over the 90% limit); 3 OOM kills"
    assert_line -n 1 --partial "cgroup v2 $root: usage 980 MiB"
    assert_line --partial "killed 3 processes (oom_kill)"
  done
}

@test "CGROUP-MEMORY/v2: no limit passes and says so" {
  local root=$BATS_TEST_TMPDIR/cg
  v2_memory "$root" $((100 * MiB)) max
  run_prebuilt full cgroup-memory cgroup_root="$root"
  assert_success
  assert_line -n 0 "CGROUP-MEMORY: 100 MiB used, no limit; no OOM kills"
}

@test "CGROUP-MEMORY/v2: an OOM kill fails even well below the limit, unless oom_kills is false" {
  local root=$BATS_TEST_TMPDIR/cg
  v2_memory "$root" $((512 * MiB)) $((1024 * MiB)) 1
  run_prebuilt full cgroup-memory cgroup_root="$root"
  assert_failure 1
  assert_line -n 0 "CGROUP-MEMORY: 512 MiB of 1 GiB used (50%, limit 90%); 1 OOM kill"
  run_prebuilt full cgroup-memory cgroup_root="$root" oom_kills=
  assert_success
  assert_line -n 0 "CGROUP-MEMORY: 512 MiB of 1 GiB used (50%, limit 90%); 1 OOM kill (not judged: oom_kills is false)"
}

@test "CGROUP-MEMORY/v2: inactive file cache is not counted as used" {
  local root=$BATS_TEST_TMPDIR/cg
  v2_memory "$root" $((1000 * MiB)) $((1024 * MiB)) 0 $((250 * MiB))
  run_prebuilt full cgroup-memory cgroup_root="$root"
  assert_success
  assert_line -n 0 "CGROUP-MEMORY: 750 MiB of 1 GiB used (74%, limit 90%); no OOM kills"
  assert_line -n 1 "cgroup v2 $root: usage 1000 MiB (anon 750 MiB, file cache 250 MiB of which 250 MiB inactive: reclaimable, not counted as used)"
}

@test "CGROUP-MEMORY/v2: a parent's tighter memory.max is the limit (a pod's, above its container)" {
  local root=$BATS_TEST_TMPDIR/cg
  v2_memory "$root" $((900 * MiB)) max
  v2_memory "$root/kubepods/pod1" $((900 * MiB)) $((1024 * MiB))
  v2_memory "$root/kubepods/pod1/ctr" $((900 * MiB)) max
  # Which cgroup is ours comes from /proc/self/cgroup, which a test cannot fake: that part of
  # lib/host is stubbed here (the test above covers it).
  local script=$BATS_TEST_TMPDIR/stubbed.sh
  {
    printf 'HYP_PLUGIN_DIR=%s\nhyp_arg_cgroup_root=%s\n' "$(hyp_quote "$BATS_TEST_TMPDIR")" "$(hyp_quote "$root/")"
    cat "$HYP_ROOT/runtime/plugin-api.sh" "$HYP_ROOT/stdlib/lib/host.sh" "$HYP_ROOT/stdlib/cgroup-memory.sh"
    printf 'hyp_host_cgroup() { hyp_host_cg_version=2 hyp_host_cg_dir=%s; }\n' "$(hyp_quote "$root/kubepods/pod1/ctr")"
    printf '( hyp_prebuilt_cgroup_memory )\n'
  } >"$script"
  hyp_run_script "$script" full
  assert_success
  assert_line -n 0 "CGROUP-MEMORY: 900 MiB of 1 GiB used (88%, limit 90%); no OOM kills"
  assert_line "the limit is set on the parent cgroup $root/kubepods/pod1"
  sed -i 's/^hyp_arg_cgroup_root=.*/&\nhyp_arg_max_used=80/' "$script"
  hyp_run_script "$script" full
  assert_failure 1
  assert_line -n 0 "CGROUP-MEMORY: 900 MiB of 1 GiB used (88%, over the 80% limit); no OOM kills"
}

# v1_memory DIR USAGE LIMIT [OOM_KILL FAILCNT]: the memory controller of a cgroup v1 tree.
v1_memory() {
  mkdir -p "$1"
  printf '%s\n' "$2" >"$1/memory.usage_in_bytes"
  printf '%s\n' "$3" >"$1/memory.limit_in_bytes"
  printf '%s\n' "${5:-0}" >"$1/memory.failcnt"
  printf 'oom_kill_disable 0\nunder_oom 0\noom_kill %s\n' "${4:-0}" >"$1/memory.oom_control"
  printf 'cache 0\nrss %s\nhierarchical_memory_limit %s\ntotal_cache 0\ntotal_rss %s\ntotal_inactive_file 0\n' "$2" "$3" "$2" >"$1/memory.stat"
}

@test "CGROUP-MEMORY/v1: the kernel's huge limit is no limit; a real one with OOM kills fails" {
  local root=$BATS_TEST_TMPDIR/cg1
  mkdir -p "$root/cpu"
  v1_memory "$root/memory" $((200 * MiB)) 9223372036854771712
  local bin
  for bin in full busybox; do
    run_prebuilt "$bin" cgroup-memory cgroup_root="$root"
    assert_success
    assert_line -n 0 "CGROUP-MEMORY: 200 MiB used, no limit; no OOM kills"
    assert_line -n 1 --partial "cgroup v1 $root/memory: usage 200 MiB"
  done

  v1_memory "$root/memory" $((1000 * MiB)) $((1024 * MiB)) 2 17
  run_prebuilt full cgroup-memory cgroup_root="$root" max_used=95
  assert_failure 1
  assert_line -n 0 "CGROUP-MEMORY: 1000 MiB of 1 GiB used (98%, over the 95% limit); 2 OOM kills"
  assert_line "memory.failcnt: the limit was reached 17 times"
}

@test "CGROUP-MEMORY: the cgroup named in /proc/self/cgroup is used when it exists under the root" {
  local root=$BATS_TEST_TMPDIR/cg path
  path=$(sed -n 's/^0:://p' /proc/self/cgroup)
  path=${path%/}
  v2_memory "$root" $((100 * MiB)) $((1024 * MiB))
  v2_memory "$root$path" $((300 * MiB)) $((1024 * MiB))
  run_prebuilt full cgroup-memory cgroup_root="$root"
  assert_success
  # When this process is at the root of its namespace ("0::/") both are the same folder.
  assert_line -n 0 "CGROUP-MEMORY: 300 MiB of 1 GiB used (30%, limit 90%); no OOM kills"
  assert_line -n 1 --partial "cgroup v2 $root$path: "
  if [[ -n $path ]]; then
    # A path that is not there falls back to the root (a container's own cgroup).
    rm -rf "$root$path"
    run_prebuilt full cgroup-memory cgroup_root="$root"
    assert_line -n 0 "CGROUP-MEMORY: 100 MiB of 1 GiB used (10%, limit 90%); no OOM kills"
  fi

  # cgroup v1: the memory controller's line.
  root=$BATS_TEST_TMPDIR/cg1
  path=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { sub(/^[^:]*:[^:]*:/, ""); print }' /proc/self/cgroup)
  path=${path%/}
  v1_memory "$root/memory" $((100 * MiB)) $((1024 * MiB))
  v1_memory "$root/memory$path" $((400 * MiB)) $((1024 * MiB))
  run_prebuilt full cgroup-memory cgroup_root="$root"
  assert_success
  assert_line -n 0 "CGROUP-MEMORY: 400 MiB of 1 GiB used (40%, limit 90%); no OOM kills"
  assert_line -n 1 --partial "cgroup v1 $root/memory$path: "
}

@test "CGROUP-MEMORY: no memory controller is skipped, with the reason" {
  mkdir -p "$BATS_TEST_TMPDIR/empty/cpu"
  run_prebuilt full cgroup-memory cgroup_root="$BATS_TEST_TMPDIR/empty"
  assert_success
  assert_output "skipped: no cgroup memory controller found under $BATS_TEST_TMPDIR/empty"
  run_prebuilt full cgroup-memory cgroup_root="$BATS_TEST_TMPDIR/none"
  assert_output "skipped: no cgroup filesystem at $BATS_TEST_TMPDIR/none"
}

@test "CGROUP-MEMORY: this machine's own cgroup gives an answer or a reason (busybox-only image)" {
  run_prebuilt busybox cgroup-memory
  assert_line -n 0 --regexp "^(CGROUP-MEMORY: [0-9.]+ [KMGTP]?i?B (used, no limit|of [0-9.]+ [KMGTP]?i?B used \([0-9]+%, (limit|over the) )|skipped: no cgroup memory controller)"
  ((status <= 1))
}

# ---- CPU-THROTTLING -----------------------------------------------------------------------------

# v2_cpu DIR PERIODS THROTTLED THROTTLED_USEC CPU_MAX
v2_cpu() {
  mkdir -p "$1"
  : >"$1/cgroup.controllers"
  printf 'usage_usec 1\nuser_usec 1\nsystem_usec 0\nnr_periods %s\nnr_throttled %s\nthrottled_usec %s\n' "$2" "$3" "$4" >"$1/cpu.stat.new"
  mv "$1/cpu.stat.new" "$1/cpu.stat"
  printf '%s\n' "$5" >"$1/cpu.max"
}

@test "CPU-THROTTLING/v2: throttled too often fails, with the share, the time and the quota" {
  local root=$BATS_TEST_TMPDIR/cg
  v2_cpu "$root" 1000 450 12300000 "50000 100000"
  local bin
  for bin in full busybox; do
    run_prebuilt "$bin" cpu-throttling cgroup_root="$root"
    assert_failure 1
    assert_output "CPU-THROTTLING: throttled in 45% of periods (over the 20% limit), 12.3 s throttled since the cgroup started; quota 0.5 CPU
cgroup v2 $root: 1000 periods of 100 ms, 450 throttled; quota 50000 us per period"
  done
  run_prebuilt full cpu-throttling cgroup_root="$root" max_throttled=50
  assert_success
  assert_line -n 0 "CPU-THROTTLING: throttled in 45% of periods (limit 50%), 12.3 s throttled since the cgroup started; quota 0.5 CPU"
}

@test "CPU-THROTTLING/v2: no quota is never throttled" {
  local root=$BATS_TEST_TMPDIR/cg
  v2_cpu "$root" 0 0 0 "max 100000"
  run_prebuilt full cpu-throttling cgroup_root="$root"
  assert_success
  assert_line -n 0 "CPU-THROTTLING: never throttled since the cgroup started (no quota periods counted); no CPU quota"
}

@test "CPU-THROTTLING/v1: cpu,cpuacct counters in nanoseconds, quota from cfs_quota_us" {
  local dir=$BATS_TEST_TMPDIR/cg1/cpu,cpuacct
  mkdir -p "$dir" "$BATS_TEST_TMPDIR/cg1/memory"
  printf 'nr_periods 200\nnr_throttled 10\nthrottled_time 2500000000\nnr_bursts 0\nburst_time 0\n' >"$dir/cpu.stat"
  printf '150000\n' >"$dir/cpu.cfs_quota_us"
  printf '100000\n' >"$dir/cpu.cfs_period_us"
  run_prebuilt full cpu-throttling cgroup_root="$BATS_TEST_TMPDIR/cg1"
  assert_success
  assert_line -n 0 "CPU-THROTTLING: throttled in 5% of periods (limit 20%), 2.5 s throttled since the cgroup started; quota 1.5 CPUs"
  printf -- '-1\n' >"$dir/cpu.cfs_quota_us"
  run_prebuilt full cpu-throttling cgroup_root="$BATS_TEST_TMPDIR/cg1" max_throttled=4
  assert_failure 1
  assert_line -n 0 "CPU-THROTTLING: throttled in 5% of periods (over the 4% limit), 2.5 s throttled since the cgroup started; no CPU quota"
}

@test "CPU-THROTTLING: a window counts only what happened in it" {
  local root=$BATS_TEST_TMPDIR/cg
  # Since the cgroup started: 1% throttled. In the window: 60 of 100 periods.
  v2_cpu "$root" 10000 100 1000000 "50000 100000"
  # Rewrites cpu.stat once the prebuilt has taken its first sample (its copy in the plugin's folder).
  (
    for _ in $(seq 200); do
      [[ -s $BATS_TEST_TMPDIR/plugin/cpu-stat-1 ]] && break
      sleep 0.05
    done
    v2_cpu "$root" 10100 160 1300000 "50000 100000"
  ) 3>&- &
  STARTED+=("$!")
  run_prebuilt full cpu-throttling cgroup_root="$root" window=1
  assert_failure 1
  assert_line -n 0 "CPU-THROTTLING: throttled in 60% of periods (over the 20% limit), 0.3 s throttled in the last 1 s; quota 0.5 CPU"
  ((ELAPSED_MS >= 1000)) || fail "took ${ELAPSED_MS} ms: the window was not waited for"
  assert_elapsed_below 8000
}

@test "CPU-THROTTLING: no cpu controller is skipped, with the reason" {
  mkdir -p "$BATS_TEST_TMPDIR/empty/memory"
  run_prebuilt full cpu-throttling cgroup_root="$BATS_TEST_TMPDIR/empty"
  assert_success
  assert_output "skipped: no cgroup cpu controller found under $BATS_TEST_TMPDIR/empty"
}

# ---- FILE-DESCRIPTORS ---------------------------------------------------------------------------

# start_fd_hog NAME: a process called NAME holding fds 3 to 34 with a soft limit of 40; sets PID.
start_fd_hog() {
  mkdir -p "$BATS_TEST_TMPDIR/progs"
  ln -sf "$(type -P sleep)" "$BATS_TEST_TMPDIR/progs/$1"
  # shellcheck disable=SC2016
  bash -c 'ulimit -S -n 40; for i in $(seq 3 34); do eval "exec $i</dev/null"; done; exec "$0" 30' \
    "$BATS_TEST_TMPDIR/progs/$1" </dev/null >/dev/null 2>&1 3>&- &
  PID=$!
  STARTED+=("$PID")
  local i
  for i in $(seq 100); do
    [[ $(cat "/proc/$PID/comm" 2>/dev/null) == "$1" ]] && return 0
    sleep 0.05
  done
  fail "the fd hog did not start"
}

@test "FILE-DESCRIPTORS: a process near its soft limit fails, with the numbers" {
  local name
  name=$(uniq_name fd)
  start_fd_hog "$name"
  local n
  n=$(ls "/proc/$PID/fd" | wc -l)
  run_prebuilt full file-descriptors pid="$PID"
  assert_failure 1
  assert_line -n 0 "FILE-DESCRIPTORS pid $PID ($name): $n of 40 open ($(((n * 100 + 39) / 40))%, over the 80% limit)"
  assert_line -n 1 "pid $PID ($name): $n open, soft limit 40, hard limit $(awk '/^Max open files/ { print $5 }' "/proc/$PID/limits")"
  assert_line -n 2 --regexp "^system-wide: [0-9]+ file handles allocated of at most [0-9]+ \(/proc/sys/fs/file-nr\)$"
  run_prebuilt full file-descriptors pid="$PID" max_used=95
  assert_success
}

@test "FILE-DESCRIPTORS: name finds the process by its command name (busybox-only image)" {
  local name
  name=$(uniq_name fd)
  start_fd_hog "$name"
  start "$name" sleep 30
  run_prebuilt busybox file-descriptors name="$name"
  assert_failure 1
  assert_line -n 0 --regexp "^FILE-DESCRIPTORS pid ${STARTED[0]} \($name\): [0-9]+ of 40 open \([0-9]+%, over the 80% limit\); the fullest of 2 processes named $name$"
  assert_line "pid $PID ($name): $(ls "/proc/$PID/fd" | wc -l) open, soft limit $(awk '/^Max open files/ { print $4 }' "/proc/$PID/limits"), hard limit $(awk '/^Max open files/ { print $5 }' "/proc/$PID/limits")"
}

@test "FILE-DESCRIPTORS: no such process fails" {
  start gone true
  wait "$PID" || true
  run_prebuilt full file-descriptors pid="$PID"
  assert_failure 1
  assert_output "FILE-DESCRIPTORS pid $PID: no such process"
  run_prebuilt full file-descriptors name=hnosuchproc
  assert_failure 1
  assert_output "FILE-DESCRIPTORS hnosuchproc: no process named hnosuchproc"
}

@test "FILE-DESCRIPTORS: another user's process is skipped, with the reason" {
  local owner
  owner=$(awk '/^Uid:/ { print $2 }' /proc/1/status)
  if ((EUID != 0)); then
    ((owner != EUID)) || fail "pid 1 is ours: no other user's process to try"
    run_prebuilt full file-descriptors pid=1
  else
    # As root everything is readable: run the check as nobody. Its files must be reachable by
    # nobody, so they live in a folder of their own under /tmp, and PATH is the system's.
    local dir
    dir=$(mktemp -d /tmp/hyp-fd-XXXXXX)
    chmod 755 "$dir"
    mkdir -m 777 "$dir/plugin"
    {
      printf 'HYP_PLUGIN_DIR=%s\nhyp_arg_pid=1\n' "$dir/plugin"
      cat "$HYP_ROOT/runtime/plugin-api.sh" "$HYP_ROOT/stdlib/lib/host.sh" "$HYP_ROOT/stdlib/file-descriptors.sh"
      printf '( hyp_prebuilt_file_descriptors )\n'
    } >"$dir/script.sh"
    chmod 644 "$dir/script.sh"
    run setpriv --reuid=65534 --regid=65534 --clear-groups env -i PATH=/usr/bin:/bin HOME=/ \
      HYP_TEST_MARK="$HYP_TEST_MARK" "${HYP_SH_ARGV[@]}" "$dir/script.sh"
    PLUGIN_DIR=$dir/plugin
    [[ -f $PLUGIN_DIR/skipped ]] || fail "not recorded as skipped"
    rm -rf "$dir"
  fi
  assert_success
  assert_output "skipped: cannot read /proc/1/fd ($(cat /proc/1/comm)): another user's process; run as that user or as root"
}

# ---- PROCESS ------------------------------------------------------------------------------------

@test "PROCESS: name counts the running processes, with min_count and max_count" {
  local name
  name=$(uniq_name p)
  start "$name" sleep 30
  start "$name" sleep 31
  run_prebuilt full process name="$name"
  assert_success
  assert_line -n 0 --regexp "^PROCESS $name: 2 running \(oldest up [0-9] s\)$"
  assert_line -n 1 --regexp "^pid ${STARTED[0]} \($name\) S up [0-9] s: $BATS_TEST_TMPDIR/progs/$name 30$"
  assert_line -n 2 --regexp "^pid ${STARTED[1]} \($name\) S up [0-9] s: $BATS_TEST_TMPDIR/progs/$name 31$"
  run_prebuilt full process name="$name" min_count=3
  assert_failure 1
  assert_line -n 0 --regexp "^PROCESS $name: 2 running, expected at least 3 \(oldest up [0-9] s\)$"
  run_prebuilt full process name="$name" max_count=1
  assert_failure 1
  assert_line -n 0 --regexp "^PROCESS $name: 2 running, expected at most 1 "
  run_prebuilt full process name=hnosuchproc
  assert_failure 1
  assert_output "PROCESS hnosuchproc: none running"
  run_prebuilt full process name=hnosuchproc min_count=0
  assert_success
  assert_output "PROCESS hnosuchproc: none running (none required)"
}

@test "PROCESS: pattern matches the command line, arguments joined by spaces" {
  # coreutils sleep adds up its arguments: a random fraction makes the command line unique.
  local secs=30.$RANDOM$RANDOM
  start sleep sleep 2 "$secs"
  run_prebuilt full process pattern="sleep 2 ${secs//./\\.}\$"
  assert_success
  [[ ${lines[0]} == "PROCESS /sleep 2 ${secs//./\\.}\$/: 1 running (up "[0-9]" s)" ]] || fail "first line: ${lines[0]}"
  assert_line -n 1 --regexp "^pid $PID \(sleep\) S up [0-9] s: .*sleep 2 $secs$"
  run_prebuilt full process pattern="sleep 2 ${secs//./\\.}x"
  assert_failure 1
  run_prebuilt full process pattern="(unclosed"
  assert_failure 2
  assert_output 'PROCESS /(unclosed/: the pattern is not an extended regular expression awk accepts'
}

@test "PROCESS: the runner's own processes are not counted" {
  # The script's path is on the command line of the shell running it (and of its subshells).
  # The whole path: the matrix runs other shells' copies of this test at the same time.
  local re=${BATS_TEST_TMPDIR//./\\.}/host-prebuilt\\.sh
  run_prebuilt full process pattern="$re"
  assert_failure 1
  assert_output "PROCESS /$re/: none running"
}

@test "PROCESS: a zombie is reported, and is not running" {
  local name parent
  name=$(uniq_name z)
  parent=$(uniq_name zp)
  mkdir -p "$BATS_TEST_TMPDIR/progs"
  ln -sf "$(type -P sleep)" "$BATS_TEST_TMPDIR/progs/$name"
  ln -sf "$(type -P sleep)" "$BATS_TEST_TMPDIR/progs/$parent"
  # The child exits at once; its parent, exec'd into sleep, never reaps it.
  # shellcheck disable=SC2016
  sh -c '"$1" 0.01 & exec "$2" 30' sh "$BATS_TEST_TMPDIR/progs/$name" "$BATS_TEST_TMPDIR/progs/$parent" \
    </dev/null >/dev/null 2>&1 3>&- &
  local pp=$!
  STARTED+=("$pp")
  local i
  for i in $(seq 100); do
    grep -qs "($name) Z" /proc/[0-9]*/stat && break
    sleep 0.05
  done
  run_prebuilt busybox process name="$name"
  assert_failure 1
  assert_line -n 0 "PROCESS $name: none running, 1 zombie (exited, not reaped by pid $pp)"
  assert_line -n 1 --regexp "^pid [0-9]+ \($name\) Z zombie, parent $pp: \[$name\]$"
  run_prebuilt busybox process name="$parent"
  assert_success
  assert_line -n 0 --regexp "^PROCESS $parent: 1 running \(up [0-9] s\)$"
}

@test "PROCESS: pid_file: alive, stale, reused and missing" {
  local name
  name=$(uniq_name pf)
  start "$name" sleep 30
  printf '%s\n' "$PID" >"$BATS_TEST_TMPDIR/app.pid"
  run_prebuilt full process pid_file="$BATS_TEST_TMPDIR/app.pid" name="$name"
  assert_success
  assert_line -n 0 --regexp "^PROCESS pid_file $BATS_TEST_TMPDIR/app.pid: pid $PID running \($name, up [0-9] s\)$"
  run_prebuilt full process pid_file="$BATS_TEST_TMPDIR/app.pid" name=nginx
  assert_failure 1
  assert_line -n 0 "PROCESS pid_file $BATS_TEST_TMPDIR/app.pid: pid $PID is running but is $name, not the process wanted (stale pid file, its pid reused)"
  hyp_stop "$PID"
  run_prebuilt full process pid_file="$BATS_TEST_TMPDIR/app.pid"
  assert_failure 1
  assert_output "PROCESS pid_file $BATS_TEST_TMPDIR/app.pid: pid $PID is not running (stale pid file)"
  run_prebuilt full process pid_file="$BATS_TEST_TMPDIR/none.pid"
  assert_failure 1
  assert_output "PROCESS pid_file $BATS_TEST_TMPDIR/none.pid: no such file"
}

@test "PROCESS: the age of an old process agrees with ps" {
  printf '1\n' >"$BATS_TEST_TMPDIR/init.pid"
  run_prebuilt full process pid_file="$BATS_TEST_TMPDIR/init.pid"
  assert_success
  local secs
  secs=$(ps -o etimes= -p 1 | tr -d ' ')
  [[ ${lines[0]} == *", up $(dur "$secs"))" || ${lines[0]} == *", up $(dur $((secs - 1))))" || ${lines[0]} == *", up $(dur $((secs + 1))))" ]] ||
    fail "${lines[0]}: ps says $secs s ($(dur "$secs"))"
}

@test "PROCESS: without cat it is skipped; without a name, pattern or pid file it is a bad parameter" {
  run_prebuilt none process name=x
  assert_success
  assert_output "skipped: no cat here (needed to list the processes)"
  run_prebuilt full process
  assert_failure 2
  assert_output "PROCESS: give name, pattern or pid_file"
}
