# hypothecary prebuilt: CGROUP-MEMORY
# summary: Checks this container's memory use against its cgroup limit, and whether the OOM killer has struck.
# reports: the memory used (working set) against the limit, and the OOM kills counted since the cgroup started.
# function: hyp_prebuilt_cgroup_memory
# requires: plugin-api lib/host
# param cgroup_root: string = /sys/fs/cgroup -- where the cgroup filesystem is mounted
# param max_used: integer = 90 -- fails when more than this percentage of the limit is used
# param oom_kills: boolean = true -- fails when the cgroup has recorded any OOM kill
#
# Reads cgroup v2 (memory.current, memory.max, memory.events, memory.stat) or v1 (the memory
# controller's memory.usage_in_bytes, memory.limit_in_bytes, memory.oom_control, memory.failcnt,
# memory.stat). "Used" is the working set, as the kubelet counts it: the usage minus the
# inactive file cache, which the kernel reclaims before it kills anything. A v1 limit above 2^60
# bytes is the kernel's way of saying "no limit". Counters run since the cgroup was created
# (for a container: since it started). Exits 0 when the hypothesis "memory is fine" holds, 1
# when it does not, 2 on a parameter it cannot use; skips when there is no memory controller.

# hyp_prebuilt_cgroup_memory: see the header. Prints one line, for example
#   CGROUP-MEMORY: 980 MiB of 1 GiB used (96%, over the 90% limit); 3 OOM kills
#   CGROUP-MEMORY: 120 MiB used, no limit; no OOM kills
# then where the cgroup is, what the usage is made of, and the kernel's counters.
# shellcheck disable=SC2154 # hyp_host_* are set by lib/host
hyp_prebuilt_cgroup_memory() {
  _hyp_prebuilt_cgroup_memory_root=${hyp_arg_cgroup_root:-/sys/fs/cgroup}
  _hyp_prebuilt_cgroup_memory_max=${hyp_arg_max_used:-90}
  case $_hyp_prebuilt_cgroup_memory_max in
    '' | *[!0-9]*)
      printf 'CGROUP-MEMORY: max_used must be a whole number from 0 to 100, not "%s"\n' "$_hyp_prebuilt_cgroup_memory_max"
      return 2
      ;;
  esac
  hyp_host_cgroup "$_hyp_prebuilt_cgroup_memory_root" memory || hyp_skip "$hyp_host_missing"
  _hyp_prebuilt_cgroup_memory_dir=$hyp_host_cg_dir
  # awk reads the files as operands: a relative folder could look like an assignment (a=b/c).
  case $_hyp_prebuilt_cgroup_memory_dir in
    /*) ;;
    *) _hyp_prebuilt_cgroup_memory_dir=./$_hyp_prebuilt_cgroup_memory_dir ;;
  esac
  if [ "$hyp_host_cg_version" = 2 ]; then
    set -- memory.current memory.max memory.events memory.stat
  else
    set -- memory.usage_in_bytes memory.limit_in_bytes memory.oom_control memory.failcnt memory.stat
  fi
  # Only the files that exist (a v1 kernel may lack some), each after a word naming it.
  _hyp_prebuilt_cgroup_memory_n=$#
  while [ "$_hyp_prebuilt_cgroup_memory_n" -gt 0 ]; do
    _hyp_prebuilt_cgroup_memory_f=$1
    shift
    if [ -r "$_hyp_prebuilt_cgroup_memory_dir/$_hyp_prebuilt_cgroup_memory_f" ]; then
      set -- "$@" "file=$_hyp_prebuilt_cgroup_memory_f" "$_hyp_prebuilt_cgroup_memory_dir/$_hyp_prebuilt_cgroup_memory_f"
    fi
    _hyp_prebuilt_cgroup_memory_n=$((_hyp_prebuilt_cgroup_memory_n - 1))
  done
  # v2: a parent's memory.max binds too (a Kubernetes pod's, above its containers'); the
  # parents up to the root are visible when the container has no cgroup namespace of its own.
  if [ "$hyp_host_cg_version" = 2 ]; then
    _hyp_prebuilt_cgroup_memory_top=${_hyp_prebuilt_cgroup_memory_root%/}
    case $_hyp_prebuilt_cgroup_memory_top in
      /*) ;;
      *) _hyp_prebuilt_cgroup_memory_top=./$_hyp_prebuilt_cgroup_memory_top ;;
    esac
    _hyp_prebuilt_cgroup_memory_up=$_hyp_prebuilt_cgroup_memory_dir
    while [ "$_hyp_prebuilt_cgroup_memory_up" != "$_hyp_prebuilt_cgroup_memory_top" ]; do
      case $_hyp_prebuilt_cgroup_memory_up in
        */*) _hyp_prebuilt_cgroup_memory_up=${_hyp_prebuilt_cgroup_memory_up%/*} ;;
        *) break ;;
      esac
      [ -n "$_hyp_prebuilt_cgroup_memory_up" ] || break
      if [ -r "$_hyp_prebuilt_cgroup_memory_up/memory.max" ]; then
        set -- "$@" "file=parent" "$_hyp_prebuilt_cgroup_memory_up/memory.max"
      fi
    done
  fi
  awk -v v="$hyp_host_cg_version" -v where="$hyp_host_cg_dir" -v max="$_hyp_prebuilt_cgroup_memory_max" \
    -v oomfail="${hyp_arg_oom_kills-1}" "$hyp_host_awk"'
    file == "memory.current" || file == "memory.usage_in_bytes" { if (FNR == 1) usage = $1 }
    file == "memory.max" || file == "memory.limit_in_bytes" { if (FNR == 1) limit = $1 }
    file == "parent" && FNR == 1 && $1 ~ /^[0-9]+$/ && (plimit == "" || $1 + 0 < plimit + 0) { plimit = $1; pfile = FILENAME }
    file == "memory.events" { ev[$1] = $2; hasev = 1 }
    file == "memory.oom_control" { oc[$1] = $2 }
    file == "memory.failcnt" { if (FNR == 1) failcnt = $1 }
    file == "memory.stat" { st[$1] = $2; hasst = 1 }
    END {
      if (usage !~ /^[0-9]+$/) {
        printf "CGROUP-MEMORY: cannot read the memory usage of cgroup v%s %s\n", v, where
        exit 1
      }
      # v1: the limit that binds may be a parent cgroup'"'"'s.
      if (v == 1 && st["hierarchical_memory_limit"] ~ /^[0-9]+$/ && (limit !~ /^[0-9]+$/ || st["hierarchical_memory_limit"] + 0 < limit + 0))
        limit = st["hierarchical_memory_limit"]
      # v2: the tightest limit among the parents, when it is tighter than our own.
      if (plimit != "" && (limit !~ /^[0-9]+$/ || plimit + 0 < limit + 0)) { limit = plimit; from = pfile; sub(/\/memory\.max$/, "", from) }
      unlimited = limit !~ /^[0-9]+$/ || limit + 0 >= 1152921504606846976 # 2^60 (busybox awk may lack ^)
      if (v == 2) { inactive = st["inactive_file"]; anon = st["anon"]; filec = st["file"] }
      else {
        inactive = ("total_inactive_file" in st) ? st["total_inactive_file"] : st["inactive_file"]
        anon = ("total_rss" in st) ? st["total_rss"] : st["rss"]
        filec = ("total_cache" in st) ? st["total_cache"] : st["cache"]
      }
      used = usage - inactive
      if (used < 0) used = 0
      kills = ""
      if (v == 2 && ("oom_kill" in ev)) kills = ev["oom_kill"]
      if (v == 1 && ("oom_kill" in oc)) kills = oc["oom_kill"]
      fail = 0
      if (unlimited) line = sprintf("CGROUP-MEMORY: %s used, no limit", hyp_human(used))
      else {
        p = hyp_pct(used, limit)
        if (p > max) fail = 1
        line = sprintf("CGROUP-MEMORY: %s of %s used (%d%%, %s)", hyp_human(used), hyp_human(limit), p, hyp_limit(p, max))
      }
      if (kills == "") line = line "; OOM kills unknown (this kernel does not count them)"
      else if (kills + 0 == 0) line = line "; no OOM kills"
      else {
        line = line "; " hyp_plural(kills, "OOM kill")
        if (oomfail != "") fail = 1
        else line = line " (not judged: oom_kills is false)"
      }
      print line
      printf "cgroup v%s %s: usage %s", v, where, hyp_human(usage)
      if (hasst) printf " (anon %s, file cache %s of which %s inactive: reclaimable, not counted as used)", hyp_human(anon), hyp_human(filec), hyp_human(inactive)
      printf "\n"
      if (from != "" && !unlimited) printf "the limit is set on the parent cgroup %s\n", from
      if (unlimited && limit ~ /^[0-9]+$/) printf "limit %s bytes: the kernel'"'"'s \"no limit\"\n", limit
      if (v == 2 && hasev) printf "memory.events: the limit was reached %d times (max), the OOM killer was invoked %d times (oom) and killed %d processes (oom_kill)\n", ev["max"], ev["oom"], ev["oom_kill"]
      if (v == 1 && failcnt != "") printf "memory.failcnt: the limit was reached %s times\n", failcnt
      if (v == 1 && oc["under_oom"] == 1) printf "memory.oom_control: under_oom 1: the cgroup is out of memory right now (oom_kill_disable %s)\n", oc["oom_kill_disable"]
      exit fail
    }' "$@" </dev/null
}
