# hypothecary prebuilt: FILE-DESCRIPTORS
# summary: Checks how close a process is to its limit of open files.
# reports: the file descriptors a process holds against its soft limit (ulimit -n), and the system-wide count.
# function: hyp_prebuilt_file_descriptors
# requires: plugin-api lib/host
# param pid: integer = 1 -- the process to check (in a container, 1 is usually the application)
# param name: string = "" -- instead of pid: every process whose command name (/proc/PID/comm, at most 15 characters) is exactly this; the fullest one is judged
# param max_used: integer = 80 -- fails when the process holds more than this percentage of its soft limit
#
# Counts the entries of /proc/PID/fd and reads "Max open files" in /proc/PID/limits; no tool
# beyond awk. Another user's /proc/PID/fd cannot be read unless we are root: the check is then
# skipped, with the reason. Exits 0 when the hypothesis "enough file descriptors left" holds, 1
# when it does not or the process is not there, 2 on a parameter it cannot use.

# hyp_prebuilt_file_descriptors: see the header. Prints one line, for example
#   FILE-DESCRIPTORS pid 1 (java): 1013 of 1024 open (99%, over the 80% limit)
#   FILE-DESCRIPTORS pid 1 (nginx): 13 open, no limit
#   FILE-DESCRIPTORS pid 812 (java): 40 of 1024 open (4%, limit 80%); the fullest of 3 processes named java
# then each process's limits and the system-wide count from /proc/sys/fs/file-nr.
# shellcheck disable=SC2154,SC2162 # hyp_host_* are set by lib/host; read: see lib/host
hyp_prebuilt_file_descriptors() {
  _hyp_prebuilt_file_descriptors_pid=${hyp_arg_pid:-1}
  _hyp_prebuilt_file_descriptors_name=${hyp_arg_name-}
  _hyp_prebuilt_file_descriptors_max=${hyp_arg_max_used:-80}
  case $_hyp_prebuilt_file_descriptors_max in
    '' | *[!0-9]*)
      printf 'FILE-DESCRIPTORS: max_used must be a whole number from 0 to 100, not "%s"\n' "$_hyp_prebuilt_file_descriptors_max"
      return 2
      ;;
  esac
  _hyp_prebuilt_file_descriptors_pids=$HYP_PLUGIN_DIR/fd-pids
  if [ -n "$_hyp_prebuilt_file_descriptors_name" ]; then
    _hyp_prebuilt_file_descriptors_label=$_hyp_prebuilt_file_descriptors_name
    hyp_have cat || hyp_skip "no cat here (needed to list the processes)"
    hyp_host_procs "$HYP_PLUGIN_DIR/fd-procs" || hyp_skip "$hyp_host_missing"
    # The kernel keeps the first 15 characters of a command name.
    printf '%s\n' "$_hyp_prebuilt_file_descriptors_name" >"$HYP_PLUGIN_DIR/fd-name"
    awk '
      NR == FNR { want = substr($0, 1, 15); next }
      { comm = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ [^ ]+ /, "", comm); if (comm == want) print $1 }
    ' "$HYP_PLUGIN_DIR/fd-name" "$HYP_PLUGIN_DIR/fd-procs" >"$_hyp_prebuilt_file_descriptors_pids"
  else
    case $_hyp_prebuilt_file_descriptors_pid in
      '' | *[!0-9]* | 0*)
        printf 'FILE-DESCRIPTORS: pid must be a process ID, not "%s"\n' "$_hyp_prebuilt_file_descriptors_pid"
        return 2
        ;;
    esac
    _hyp_prebuilt_file_descriptors_label="pid $_hyp_prebuilt_file_descriptors_pid"
    [ -r /proc/self/stat ] || hyp_skip "/proc is not mounted here"
    printf '%s\n' "$_hyp_prebuilt_file_descriptors_pid" >"$_hyp_prebuilt_file_descriptors_pids"
  fi
  # For each process: "PID COUNT" (COUNT "denied" when its fd folder cannot be read, "gone"
  # when it ended). A glob counts the entries: no ls, and no output kept in a variable.
  : >"$HYP_PLUGIN_DIR/fd-counts"
  while read _hyp_prebuilt_file_descriptors_p; do
    _hyp_prebuilt_file_descriptors_d=/proc/$_hyp_prebuilt_file_descriptors_p/fd
    if [ ! -d "/proc/$_hyp_prebuilt_file_descriptors_p" ]; then
      _hyp_prebuilt_file_descriptors_n=gone
    elif [ ! -r "$_hyp_prebuilt_file_descriptors_d" ] || [ ! -x "$_hyp_prebuilt_file_descriptors_d" ]; then
      _hyp_prebuilt_file_descriptors_n=denied
    else
      _hyp_prebuilt_file_descriptors_n=0
      _hyp_prebuilt_file_descriptors_last=
      for _hyp_prebuilt_file_descriptors_f in "$_hyp_prebuilt_file_descriptors_d"/[0-9]*; do
        _hyp_prebuilt_file_descriptors_n=$((_hyp_prebuilt_file_descriptors_n + 1))
        _hyp_prebuilt_file_descriptors_last=$_hyp_prebuilt_file_descriptors_f
      done
      # No entry at all: the pattern itself came back.
      [ "$_hyp_prebuilt_file_descriptors_last" = "$_hyp_prebuilt_file_descriptors_d/[0-9]*" ] &&
        [ ! -e "$_hyp_prebuilt_file_descriptors_last" ] && _hyp_prebuilt_file_descriptors_n=0
      # It may have ended while we counted.
      [ -d "$_hyp_prebuilt_file_descriptors_d" ] || _hyp_prebuilt_file_descriptors_n=gone
    fi
    printf '%s %s\n' "$_hyp_prebuilt_file_descriptors_p" "$_hyp_prebuilt_file_descriptors_n" >>"$HYP_PLUGIN_DIR/fd-counts"
  done <"$_hyp_prebuilt_file_descriptors_pids"
  printf '%s\n' "$_hyp_prebuilt_file_descriptors_label" >"$HYP_PLUGIN_DIR/fd-label"
  awk -v max="$_hyp_prebuilt_file_descriptors_max" -v byname="$_hyp_prebuilt_file_descriptors_name" "$hyp_host_awk"'
    FILENAME ~ /fd-label$/ { label = $0; next }
    {
      pid = $1; n = $2; count++
      comm = "?"
      f = "/proc/" pid "/comm"
      if ((getline line < f) > 0) comm = line
      close(f)
      soft = ""; hard = ""
      f = "/proc/" pid "/limits"
      while ((getline line < f) > 0) {
        if (line ~ /^Max open files/) { split(line, w, " "); soft = w[4]; hard = w[5] }
      }
      close(f)
      if (n == "gone") { gone++; next }
      if (n == "denied") { denied++; dpid = pid; dcomm = comm; next }
      # The fullest: the highest share of its soft limit ("unlimited" counts as 0).
      share = soft ~ /^[0-9]+$/ && soft > 0 ? n / soft : 0
      if (best == "" || share > bshare || (share == bshare && n + 0 > bn + 0)) {
        best = pid; bn = n; bsoft = soft; bcomm = comm; bshare = share
      }
      detail[++nd] = sprintf("pid %s (%s): %d open, soft limit %s, hard limit %s", pid, comm, n, soft, hard)
    }
    END {
      what = byname != "" ? "processes named " byname : label
      if (best == "") {
        if (denied) {
          printf "skipped: cannot read /proc/%s/fd (%s): another user'"'"'s process; run as that user or as root\n", dpid, dcomm
          exit 3
        }
        if (byname != "") printf "FILE-DESCRIPTORS %s: no process named %s\n", label, byname
        else printf "FILE-DESCRIPTORS %s: no such process\n", label
        exit 1
      }
      fail = 0
      head = sprintf("FILE-DESCRIPTORS pid %s (%s): ", best, bcomm)
      if (bsoft !~ /^[0-9]+$/) line = head sprintf("%d open, no limit", bn)
      else {
        p = hyp_pct(bn, bsoft)
        if (p > max) fail = 1
        line = head sprintf("%d of %d open (%d%%, %s)", bn, bsoft, p, hyp_limit(p, max))
      }
      if (byname != "" && count > 1) line = line sprintf("; the fullest of %d processes named %s", count, byname)
      print line
      for (i = 1; i <= nd && i <= 10; i++) print detail[i]
      if (nd > 10) printf "... and %d more\n", nd - 10
      if (denied) printf "%d of them could not be read (another user'"'"'s processes)\n", denied
      if (gone) printf "%d of them ended while we counted\n", gone
      f = "/proc/sys/fs/file-nr"
      if ((getline line < f) > 0) {
        split(line, w, " ")
        printf "system-wide: %s file handles allocated of at most %s (/proc/sys/fs/file-nr)\n", w[1], w[3]
      }
      exit fail
    }' "$HYP_PLUGIN_DIR/fd-label" "$HYP_PLUGIN_DIR/fd-counts" >"$HYP_PLUGIN_DIR/fd-out"
  _hyp_prebuilt_file_descriptors_rc=$?
  if [ "$_hyp_prebuilt_file_descriptors_rc" -eq 3 ]; then
    # awk found nothing it could read: say why as a skip.
    read _hyp_prebuilt_file_descriptors_why <"$HYP_PLUGIN_DIR/fd-out"
    hyp_skip "${_hyp_prebuilt_file_descriptors_why#skipped: }"
  fi
  awk '{ print }' "$HYP_PLUGIN_DIR/fd-out"
  return "$_hyp_prebuilt_file_descriptors_rc"
}
