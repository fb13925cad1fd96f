# hypothecary runtime: lib/host
# requires: plugin-api
# What the host-resource prebuilts share (DISK, CGROUP-MEMORY, CPU-THROTTLING, FILE-DESCRIPTORS,
# PROCESS): finding this process's cgroup, a table of the processes in /proc, and awk functions
# that turn numbers into words.
# Everything comes from /proc, /sys and busybox applets, so a busybox-only image can run it.
# Numbers are computed by awk, never by the shell: mksh's arithmetic is 32 bits wide, and byte
# counts are not. `read` without -r: see lib/net (posh), and every value read here is a number
# or a path.

# hyp_host_awk: awk functions the prebuilts put in front of their programs:
#   hyp_human(BYTES)       "1.2 GiB", "40 GiB", "512 B" (binary units)
#   hyp_pct(PART, WHOLE)   the percentage rounded up, as df rounds its Capacity (0 when WHOLE is 0)
#   hyp_dur(SECONDS)       "45 s", "3 min 5 s", "2 h 3 min", "4 d 2 h"
#   hyp_limit(PCT, MAX)    "limit 90%" when PCT <= MAX, else "over the 90% limit"
#   hyp_size(TEXT)         "500M", "2G", "1.5GiB", "100k", "4096" -> bytes; -1 when not a size
#   hyp_plural(N, WORD)    "1 OOM kill", "3 OOM kills"
# shellcheck disable=SC2034 # for the prebuilts
hyp_host_awk='
function hyp_human(b,   u, i, r) {
  split("B KiB MiB GiB TiB PiB EiB", u, " ")
  i = 1
  while (b >= 1024 && i < 7) { b /= 1024; i++ }
  if (i == 1) return sprintf("%d B", b)
  r = int(b * 10 + 0.5) / 10
  if (r < 10 && r != int(r)) return sprintf("%.1f %s", r, u[i])
  return sprintf("%.0f %s", b, u[i])
}
function hyp_pct(part, whole,   p) {
  if (whole <= 0) return 0
  p = part * 100 / whole
  return p == int(p) ? p : int(p) + 1
}
function hyp_dur(s,   d, h, m) {
  s = int(s)
  if (s < 60) return s " s"
  if (s < 3600) { m = int(s / 60); return m " min " (s - m * 60) " s" }
  if (s < 86400) { h = int(s / 3600); return h " h " int((s - h * 3600) / 60) " min" }
  d = int(s / 86400)
  return d " d " int((s - d * 86400) / 3600) " h"
}
function hyp_limit(p, max) {
  return p > max ? "over the " max "% limit" : "limit " max "%"
}
function hyp_size(t,   n, u, k) {
  if (t !~ /^[0-9]+(\.[0-9]+)?[ ]*([KkMmGgTtPp]([Ii]?[Bb])?|[Bb])?$/) return -1
  n = t; sub(/[ ]*[A-Za-z]+$/, "", n)
  u = substr(t, length(n) + 1); sub(/^[ ]*/, "", u); u = toupper(substr(u, 1, 1))
  k = u == "" ? 0 : index("KMGTP", u)
  while (k-- > 0) n *= 1024
  return n + 0
}
function hyp_plural(n, w) {
  return n " " w (n == 1 ? "" : "s")
}
'

# hyp_host_cgroup ROOT KIND: finds the cgroup this process is in, for KIND memory or cpu, under
# the cgroup filesystem mounted at ROOT. Sets hyp_host_cg_version (1 or 2), hyp_host_cg_dir (the
# folder holding its files).
# A line of /proc/self/cgroup names the cgroup (v2 `0::/PATH`, v1 `N:CONTROLLERS:/PATH`); in a
# container with its own cgroup namespace, or one whose cgroup is mounted at ROOT, that path is
# not there and ROOT itself is the container's cgroup. Fails with hyp_host_missing set when no
# such controller is found.
# shellcheck disable=SC2034,SC2162 # results for the prebuilts; read: see the top
hyp_host_cgroup() {
  _hyp_host_cgroup_root=${1%/}
  [ -n "$_hyp_host_cgroup_root" ] || _hyp_host_cgroup_root=/
  hyp_host_cg_version='' hyp_host_cg_dir='' hyp_host_missing=''
  if [ ! -d "$_hyp_host_cgroup_root" ]; then
    hyp_host_missing="no cgroup filesystem at $1"
    return 1
  fi
  if [ "$2" = memory ]; then _hyp_host_cgroup_file=memory.current; else _hyp_host_cgroup_file=cpu.stat; fi
  if [ -f "$_hyp_host_cgroup_root/cgroup.controllers" ]; then
    # cgroup v2: one tree.
    _hyp_host_cgroup_base=$_hyp_host_cgroup_root
    _hyp_host_cgroup_want=0
    hyp_host_cg_version=2
  else
    # cgroup v1: a tree per controller (cpu is often mounted together with cpuacct).
    _hyp_host_cgroup_base=''
    if [ "$2" = memory ]; then
      _hyp_host_cgroup_file=memory.usage_in_bytes
      [ -d "$_hyp_host_cgroup_root/memory" ] && _hyp_host_cgroup_base=$_hyp_host_cgroup_root/memory
    else
      for _hyp_host_cgroup_try in cpu,cpuacct cpuacct,cpu cpu; do
        if [ -f "$_hyp_host_cgroup_root/$_hyp_host_cgroup_try/cpu.stat" ]; then
          _hyp_host_cgroup_base=$_hyp_host_cgroup_root/$_hyp_host_cgroup_try
          break
        fi
      done
    fi
    if [ -z "$_hyp_host_cgroup_base" ]; then
      hyp_host_missing="no cgroup $2 controller found under $1"
      return 1
    fi
    _hyp_host_cgroup_want=$2
    hyp_host_cg_version=1
  fi
  # The line of /proc/self/cgroup for this hierarchy: "0::/a/b" (v2), "4:memory:/a/b" or
  # "3:cpu,cpuacct:/a/b" (v1). A path that climbs ("/../..") is outside our namespace: unusable.
  _hyp_host_cgroup_path=''
  if [ -r /proc/self/cgroup ]; then
    awk -F: -v want="$_hyp_host_cgroup_want" '
      {
        path = $0; sub(/^[^:]*:[^:]*:/, "", path)
        if (want == "0") { if ($1 == "0" && $2 == "") { print path; exit } }
        else if (("," $2 ",") ~ ("," want ",")) { print path; exit }
      }' /proc/self/cgroup >"$HYP_PLUGIN_DIR/host-cgpath" 2>/dev/null
    read _hyp_host_cgroup_path <"$HYP_PLUGIN_DIR/host-cgpath" || _hyp_host_cgroup_path=''
  fi
  case $_hyp_host_cgroup_path in
    */.. | */../*) _hyp_host_cgroup_path='' ;;
  esac
  _hyp_host_cgroup_path=${_hyp_host_cgroup_path%/}
  hyp_host_cg_dir=$_hyp_host_cgroup_base
  if [ -n "$_hyp_host_cgroup_path" ] && [ -f "$_hyp_host_cgroup_base$_hyp_host_cgroup_path/$_hyp_host_cgroup_file" ]; then
    hyp_host_cg_dir=$_hyp_host_cgroup_base$_hyp_host_cgroup_path
  fi
  if [ ! -f "$hyp_host_cg_dir/$_hyp_host_cgroup_file" ]; then
    if [ "$hyp_host_cg_version" = 2 ]; then
      hyp_host_missing="no cgroup $2 controller found under $1 (cgroup v2: no $_hyp_host_cgroup_file in $hyp_host_cg_dir)"
    else
      hyp_host_missing="no cgroup $2 controller found under $1 (cgroup v1: no $_hyp_host_cgroup_file in $hyp_host_cg_dir)"
    fi
    return 1
  fi
  return 0
}

# hyp_host_procs FILE: writes a table of the processes in /proc to FILE, one per line:
#   PID PPID STATE STARTTIME COMM
# separated by single spaces (COMM last: it may hold spaces; it is everything between the first
# "(" and the last ")" of /proc/PID/stat). Processes that end while we read are simply missing.
# Fails with hyp_host_missing set when /proc is not mounted.
# shellcheck disable=SC2034 # hyp_host_missing is for the prebuilts
hyp_host_procs() {
  if [ ! -r /proc/self/stat ]; then
    hyp_host_missing="/proc is not mounted here"
    return 1
  fi
  # One cat for every process: a process that ended meanwhile makes cat complain and go on.
  cat /proc/[0-9]*/stat 2>/dev/null | awk '
    /^[0-9]+ \(/ {
      open = index($0, "(")
      rest = $0
      sub(/^.*\) /, "", rest) # after the LAST ")": the command name may hold ") "
      comm = substr($0, open + 1)
      comm = substr(comm, 1, length(comm) - length(rest) - 2)
      n = split(rest, f, " ")
      if (n < 20) next
      print $1, f[2], f[1], f[20], comm
    }' >"$1"
}

# hyp_host_cmdlines TABLE OUT: for each process of the hyp_host_procs TABLE, in order, writes
# "PID ARGS" to OUT: its command line with the NUL bytes between arguments (and any newline)
# turned into spaces, "[COMM]" for kernel threads. One cat and one tr for all of them: cat reads
# each /proc/PID/cmdline followed by a file holding one \001 byte, which tells them apart (a
# process that ended meanwhile leaves an empty one; a \001 inside a command line would shift
# the ones after it, a risk taken).
hyp_host_cmdlines() {
  printf '\001' >"$HYP_PLUGIN_DIR/host-sep"
  # The cat command line comes from awk: PIDs are digits, the separator goes by its variable.
  awk '
    BEGIN { printf "cat" }
    { printf " /proc/%s/cmdline \"$_hyp_host_cmdlines_sep\"", $1 }
    END { printf " 2>/dev/null\n" }' "$1" >"$HYP_PLUGIN_DIR/host-cat.sh"
  _hyp_host_cmdlines_sep=$HYP_PLUGIN_DIR/host-sep
  # shellcheck disable=SC1090,SC1091 # generated just above
  . "$HYP_PLUGIN_DIR/host-cat.sh" | tr '\000\n' '  ' >"$HYP_PLUGIN_DIR/host-cmdlines"
  awk '
    NR == FNR { pid[NR] = $1; comm[NR] = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ [^ ]+ /, "", comm[NR]); n = NR; next }
    FNR <= n {
      args = $0
      sub(/^ +/, "", args)
      sub(/ +$/, "", args)
      print pid[FNR], (args == "" ? "[" comm[FNR] "]" : args)
    }' "$1" RS='\001' "$HYP_PLUGIN_DIR/host-cmdlines" >"$2"
}
