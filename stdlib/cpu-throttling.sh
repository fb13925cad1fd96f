# hypothecary prebuilt: CPU-THROTTLING
# summary: Checks how often this container's CPU quota throttled it.
# reports: the share of CFS periods in which the cgroup was throttled, the time it spent throttled, and its CPU quota.
# function: hyp_prebuilt_cpu_throttling
# requires: plugin-api lib/host
# param cgroup_root: string = /sys/fs/cgroup -- where the cgroup filesystem is mounted
# param max_throttled: integer = 20 -- fails when the cgroup was throttled in more than this percentage of its periods
# param window: duration = "" -- empty: count since the cgroup started; longer: count over a window this long, sampled now and again after it (the plugin's timeout must be longer)
#
# Reads cgroup v2 (cpu.stat: nr_periods, nr_throttled, throttled_usec; cpu.max) or v1 (the cpu
# controller's cpu.stat: nr_periods, nr_throttled, throttled_time in ns; cpu.cfs_quota_us and
# cpu.cfs_period_us). Only this cgroup's own quota is seen: a parent's quota throttles the
# parent, whose counters a container with its own cgroup namespace cannot read. Exits 0 when the
# hypothesis "not throttled too often" holds, 1 when it does not, 2 on a parameter it cannot
# use; skips when there is no cpu controller.

# hyp_prebuilt_cpu_throttling: see the header. Prints one line, for example
#   CPU-THROTTLING: throttled in 45% of periods (over the 20% limit), 12.3 s throttled since the cgroup started; quota 0.5 CPU
#   CPU-THROTTLING: throttled in 0% of periods (limit 20%), 0.0 s throttled in the last 5 s; quota 2 CPUs
#   CPU-THROTTLING: never throttled since the cgroup started (no quota periods counted); no CPU quota
# then where the cgroup is and the raw counters.
# shellcheck disable=SC2154 # hyp_host_* are set by lib/host
hyp_prebuilt_cpu_throttling() {
  _hyp_prebuilt_cpu_throttling_root=${hyp_arg_cgroup_root:-/sys/fs/cgroup}
  _hyp_prebuilt_cpu_throttling_max=${hyp_arg_max_throttled:-20}
  _hyp_prebuilt_cpu_throttling_window=${hyp_arg_window:-0}
  case $_hyp_prebuilt_cpu_throttling_max in
    '' | *[!0-9]*)
      printf 'CPU-THROTTLING: max_throttled must be a whole number from 0 to 100, not "%s"\n' "$_hyp_prebuilt_cpu_throttling_max"
      return 2
      ;;
  esac
  case $_hyp_prebuilt_cpu_throttling_window in
    '' | . | *[!0-9.]* | *.*.*)
      printf 'CPU-THROTTLING: window "%s" is not a number of seconds\n' "$_hyp_prebuilt_cpu_throttling_window"
      return 2
      ;;
  esac
  hyp_host_cgroup "$_hyp_prebuilt_cpu_throttling_root" cpu || hyp_skip "$hyp_host_missing"
  _hyp_prebuilt_cpu_throttling_dir=$hyp_host_cg_dir
  case $_hyp_prebuilt_cpu_throttling_dir in
    /*) ;;
    *) _hyp_prebuilt_cpu_throttling_dir=./$_hyp_prebuilt_cpu_throttling_dir ;;
  esac
  # The quota: v2 "QUOTA PERIOD" (QUOTA "max" for none), v1 two files (quota -1 for none), all
  # in microseconds. Written as one line "QUOTA PERIOD"; empty when the files are not there.
  if [ "$hyp_host_cg_version" = 2 ]; then
    if [ -r "$_hyp_prebuilt_cpu_throttling_dir/cpu.max" ]; then
      awk 'NR == 1 { print $1, $2 }' "$_hyp_prebuilt_cpu_throttling_dir/cpu.max" >"$HYP_PLUGIN_DIR/cpu-quota"
    else
      : >"$HYP_PLUGIN_DIR/cpu-quota"
    fi
  elif [ -r "$_hyp_prebuilt_cpu_throttling_dir/cpu.cfs_quota_us" ] && [ -r "$_hyp_prebuilt_cpu_throttling_dir/cpu.cfs_period_us" ]; then
    awk 'FNR == 1 { v[++n] = $1 } END { print (v[1] < 0 ? "max" : v[1]), v[2] }' \
      "$_hyp_prebuilt_cpu_throttling_dir/cpu.cfs_quota_us" "$_hyp_prebuilt_cpu_throttling_dir/cpu.cfs_period_us" \
      >"$HYP_PLUGIN_DIR/cpu-quota"
  else
    : >"$HYP_PLUGIN_DIR/cpu-quota"
  fi
  # The counters: copied now (and again after the window), each copy taken by one read.
  awk '{ print }' "$_hyp_prebuilt_cpu_throttling_dir/cpu.stat" >"$HYP_PLUGIN_DIR/cpu-stat-1"
  case $_hyp_prebuilt_cpu_throttling_window in
    *[1-9]*)
      sleep "$_hyp_prebuilt_cpu_throttling_window"
      awk '{ print }' "$_hyp_prebuilt_cpu_throttling_dir/cpu.stat" >"$HYP_PLUGIN_DIR/cpu-stat-2"
      ;;
    *) : >"$HYP_PLUGIN_DIR/cpu-stat-2" ;;
  esac
  awk -v v="$hyp_host_cg_version" -v where="$hyp_host_cg_dir" -v max="$_hyp_prebuilt_cpu_throttling_max" \
    -v window="$_hyp_prebuilt_cpu_throttling_window" "$hyp_host_awk"'
    FILENAME ~ /cpu-quota$/ && FNR == 1 { quota = $1; period = $2 }
    FILENAME ~ /cpu-stat-1$/ { a[$1] = $2 }
    FILENAME ~ /cpu-stat-2$/ { b[$1] = $2; second = 1 }
    END {
      # throttled time in seconds: v2 counts microseconds, v1 nanoseconds.
      unit = v == 2 ? 1e6 : 1e9
      tkey = v == 2 ? "throttled_usec" : "throttled_time"
      if (second) {
        periods = b["nr_periods"] - a["nr_periods"]
        throttled = b["nr_throttled"] - a["nr_throttled"]
        secs = (b[tkey] - a[tkey]) / unit
        span = "in the last " (window == int(window) ? hyp_dur(window) : window " s")
      } else {
        periods = a["nr_periods"]; throttled = a["nr_throttled"]; secs = a[tkey] / unit
        span = "since the cgroup started"
      }
      if (quota == "") qtext = "CPU quota unknown (no " (v == 2 ? "cpu.max" : "cpu.cfs_quota_us") ": the cpu controller is not enabled here)"
      else if (quota == "max" || period + 0 <= 0) qtext = "no CPU quota"
      else {
        cpus = sprintf("%.2f", quota / period); sub(/0+$/, "", cpus); sub(/\.$/, "", cpus)
        qtext = "quota " cpus " CPU" (cpus + 0 > 1 ? "s" : "")
      }
      fail = 0
      if (!(a["nr_periods"] ~ /^[0-9]+$/)) {
        printf "CPU-THROTTLING: not throttled: cgroup v%s %s counts no quota periods; %s\n", v, where, qtext
      } else if (periods <= 0) {
        printf "CPU-THROTTLING: never throttled %s (no quota periods counted); %s\n", span, qtext
      } else {
        p = hyp_pct(throttled, periods)
        if (p > max) fail = 1
        printf "CPU-THROTTLING: throttled in %d%% of periods (%s), %.1f s throttled %s; %s\n", p, hyp_limit(p, max), secs, span, qtext
      }
      printf "cgroup v%s %s: %d periods", v, where, periods
      if (period + 0 > 0) printf " of %s ms", period / 1000
      printf ", %d throttled", throttled
      if (quota != "" && quota != "max") printf "; quota %s us per period", quota
      printf "\n"
      exit fail
    }' "$HYP_PLUGIN_DIR/cpu-quota" "$HYP_PLUGIN_DIR/cpu-stat-1" "$HYP_PLUGIN_DIR/cpu-stat-2"
}
