# hypothecary prebuilt: PROCESS
# summary: Checks that the expected process is running, how many of it, since when, and that it is not a zombie.
# reports: how many matching processes run (zombies apart), how long the oldest has been up; for a pid file, whether its process is alive.
# function: hyp_prebuilt_process
# requires: plugin-api lib/host
# param name: string = "" -- the command name, exactly as in /proc/PID/comm (the kernel keeps its first 15 characters)
# param pattern: string = "" -- an extended regular expression (awk) matched against the command line, its arguments joined by spaces
# param pid_file: string = "" -- a file holding the process ID to check; name and pattern, when given, must fit that process too
# param min_count: integer = 1 -- fails when fewer processes than this run
# param max_count: string = "" -- fails when more processes than this run; empty for no maximum
#
# Reads /proc/PID/stat and /proc/PID/cmdline (with cat and tr, busybox's will do). Processes of
# this runner are left out (the runner itself and the processes it started with its own command
# name: a pattern would otherwise find the runner whose script names it). Ages come from the
# start time in /proc/PID/stat against /proc/uptime, in clock ticks of `getconf CLK_TCK`, or 100
# per second when getconf is missing (Linux's usual value). Restarts cannot be seen: a process
# restarted a minute ago just looks young. Exits 0 when the hypothesis "the process is there"
# holds, 1 when it does not, 2 on a parameter it cannot use.

# hyp_prebuilt_process: see the header. Prints one line, for example
#   PROCESS nginx: 3 running (oldest up 2 h 3 min)
#   PROCESS nginx: none running
#   PROCESS /java .*app\.jar/: none running, 1 zombie (exited, not reaped by pid 77)
#   PROCESS pid_file /run/app.pid: pid 123 is not running (stale pid file)
# then one line per process found.
# shellcheck disable=SC2154,SC2162 # hyp_host_* are set by lib/host; read: see lib/host
hyp_prebuilt_process() {
  _hyp_prebuilt_process_name=${hyp_arg_name-}
  _hyp_prebuilt_process_pattern=${hyp_arg_pattern-}
  _hyp_prebuilt_process_pidfile=${hyp_arg_pid_file-}
  _hyp_prebuilt_process_min=${hyp_arg_min_count:-1}
  _hyp_prebuilt_process_max=${hyp_arg_max_count-}
  if [ -n "$_hyp_prebuilt_process_pidfile" ]; then
    _hyp_prebuilt_process_label="pid_file $_hyp_prebuilt_process_pidfile"
  elif [ -n "$_hyp_prebuilt_process_name" ] && [ -n "$_hyp_prebuilt_process_pattern" ]; then
    _hyp_prebuilt_process_label="$_hyp_prebuilt_process_name /$_hyp_prebuilt_process_pattern/"
  elif [ -n "$_hyp_prebuilt_process_name" ]; then
    _hyp_prebuilt_process_label=$_hyp_prebuilt_process_name
  elif [ -n "$_hyp_prebuilt_process_pattern" ]; then
    _hyp_prebuilt_process_label="/$_hyp_prebuilt_process_pattern/"
  else
    printf 'PROCESS: give name, pattern or pid_file\n'
    return 2
  fi
  case $_hyp_prebuilt_process_min in
    '' | *[!0-9]*)
      printf 'PROCESS %s: min_count must be a whole number, not "%s"\n' "$_hyp_prebuilt_process_label" "$_hyp_prebuilt_process_min"
      return 2
      ;;
  esac
  case $_hyp_prebuilt_process_max in
    *[!0-9]*)
      printf 'PROCESS %s: max_count must be a whole number or empty, not "%s"\n' "$_hyp_prebuilt_process_label" "$_hyp_prebuilt_process_max"
      return 2
      ;;
  esac
  # The name and the pattern reach awk through a file: -v would eat the pattern's backslashes.
  {
    printf '%s\n' "$_hyp_prebuilt_process_name"
    printf '%s\n' "$_hyp_prebuilt_process_pattern"
  } >"$HYP_PLUGIN_DIR/process-want"
  if [ -n "$_hyp_prebuilt_process_pattern" ] &&
    ! awk 'NR == 2 { if ("" ~ $0) x = 1 }' "$HYP_PLUGIN_DIR/process-want" >/dev/null 2>&1; then
    printf 'PROCESS %s: the pattern is not an extended regular expression awk accepts\n' "$_hyp_prebuilt_process_label"
    return 2
  fi
  _hyp_prebuilt_process_pid=
  if [ -n "$_hyp_prebuilt_process_pidfile" ]; then
    if [ ! -e "$_hyp_prebuilt_process_pidfile" ]; then
      printf 'PROCESS %s: no such file\n' "$_hyp_prebuilt_process_label"
      return 1
    fi
    awk 'NR == 1 { gsub(/[ \t\r]/, ""); print; exit }' "$_hyp_prebuilt_process_pidfile" >"$HYP_PLUGIN_DIR/process-pid" 2>/dev/null
    read _hyp_prebuilt_process_pid <"$HYP_PLUGIN_DIR/process-pid" || _hyp_prebuilt_process_pid=
    case $_hyp_prebuilt_process_pid in
      '' | *[!0-9]* | 0*)
        printf 'PROCESS %s: the file does not hold a process ID\n' "$_hyp_prebuilt_process_label"
        return 1
        ;;
    esac
  fi
  hyp_have cat || hyp_skip "no cat here (needed to list the processes)"
  hyp_host_procs "$HYP_PLUGIN_DIR/process-table" || hyp_skip "$hyp_host_missing"
  # Command lines: needed for a pattern, nice to show otherwise.
  if hyp_have tr; then
    hyp_host_cmdlines "$HYP_PLUGIN_DIR/process-table" "$HYP_PLUGIN_DIR/process-args"
  elif [ -n "$_hyp_prebuilt_process_pattern" ]; then
    hyp_skip "no tr here (needed to read command lines for the pattern)"
  else
    : >"$HYP_PLUGIN_DIR/process-args"
  fi
  _hyp_prebuilt_process_hz=
  if hyp_have getconf; then
    getconf CLK_TCK >"$HYP_PLUGIN_DIR/process-hz" 2>/dev/null || : >"$HYP_PLUGIN_DIR/process-hz"
    read _hyp_prebuilt_process_hz <"$HYP_PLUGIN_DIR/process-hz" || _hyp_prebuilt_process_hz=
  fi
  case $_hyp_prebuilt_process_hz in
    '' | *[!0-9]* | 0*) _hyp_prebuilt_process_hz=100 _hyp_prebuilt_process_hzsaid='' ;;
    *) _hyp_prebuilt_process_hzsaid=1 ;;
  esac
  if [ -r /proc/uptime ]; then
    awk '{ print }' /proc/uptime >"$HYP_PLUGIN_DIR/process-uptime"
  else
    : >"$HYP_PLUGIN_DIR/process-uptime"
  fi
  printf '%s\n' "$_hyp_prebuilt_process_label" >"$HYP_PLUGIN_DIR/process-label"
  awk -v self="$$" -v onepid="$_hyp_prebuilt_process_pid" -v min="$_hyp_prebuilt_process_min" \
    -v max="$_hyp_prebuilt_process_max" -v hz="$_hyp_prebuilt_process_hz" -v hzsaid="$_hyp_prebuilt_process_hzsaid" \
    "$hyp_host_awk"'
    FILENAME ~ /process-want$/ { if (FNR == 1) name = substr($0, 1, 15); else pattern = $0; next }
    FILENAME ~ /process-label$/ { label = $0; next }
    FILENAME ~ /process-uptime$/ { uptime = $1; next }
    FILENAME ~ /process-table$/ {
      pid = $1; ppid[pid] = $2; state[pid] = $3; start[pid] = $4
      c = $0; sub(/^[^ ]+ [^ ]+ [^ ]+ [^ ]+ /, "", c); comm[pid] = c
      order[++np] = pid
      next
    }
    FILENAME ~ /process-args$/ { a = $0; sub(/^[^ ]+ /, "", a); args[$1] = a; next }
    function ours(p,   q, hops) {
      if (p == self) return 1
      if (comm[p] != comm[self]) return 0
      for (q = ppid[p]; q != "" && q > 1 && hops < 64; q = ppid[q]) { if (q == self) return 1; hops++ }
      return 0
    }
    function fits(p) {
      if (name != "" && comm[p] != name) return 0
      if (pattern != "" && !((p in args) && args[p] ~ pattern)) return 0
      return 1
    }
    function age(p) { return uptime != "" ? uptime - start[p] / hz : -1 }
    function say(p,   s, a) {
      s = sprintf("pid %s (%s) %s", p, comm[p], state[p])
      if (state[p] == "Z") s = s sprintf(" zombie, parent %s", ppid[p])
      else if (age(p) >= 0) s = s " up " hyp_dur(age(p))
      if (p in args) {
        a = args[p]
        if (length(a) > 160) a = substr(a, 1, 160) "..."
        s = s ": " a
      }
      return s
    }
    END {
      if (onepid != "") {
        head = "PROCESS " label ": pid " onepid
        if (!(onepid in state)) { print head " is not running (stale pid file)"; exit 1 }
        if (state[onepid] == "Z") {
          printf "%s is a zombie (exited, not reaped by pid %s)\n", head, ppid[onepid]
          print say(onepid); exit 1
        }
        if (!fits(onepid)) {
          printf "%s is running but is %s, not the process wanted (stale pid file, its pid reused)\n", head, comm[onepid]
          print say(onepid); exit 1
        }
        printf "%s running (%s", head, comm[onepid]
        if (age(onepid) >= 0) printf ", up %s", hyp_dur(age(onepid))
        printf ")\n"
        print say(onepid); exit 0
      }
      live = 0; zombies = 0; oldest = ""
      for (i = 1; i <= np; i++) {
        p = order[i]
        if (ours(p) || !fits(p)) continue
        found[++nf] = p
        if (state[p] == "Z") { zombies++; zparent = ppid[p]; continue }
        live++
        if (oldest == "" || start[p] + 0 < start[oldest] + 0) oldest = p
      }
      fail = 0
      if (live == 0) {
        line = "none running"
        if (min > 0) fail = 1
        if (min > 1) line = line sprintf(" (expected at least %d)", min)
        if (min == 0) line = line " (none required)"
      } else {
        line = live " running"
        if (live < min) { fail = 1; line = line sprintf(", expected at least %d", min) }
        if (max != "" && live > max + 0) { fail = 1; line = line sprintf(", expected at most %d", max) }
        if (age(oldest) >= 0) line = line " (" (live > 1 ? "oldest " : "") "up " hyp_dur(age(oldest)) ")"
      }
      if (live == 0 && max != "" && min == 0) line = "none running (at most " max " allowed)"
      if (zombies) line = line ", " hyp_plural(zombies, "zombie") " (exited, not reaped by " (zombies > 1 ? "their parents, e.g. pid " : "pid ") zparent ")"
      print "PROCESS " label ": " line
      # Oldest first, then by PID: the table is in the order of the /proc glob (1002 before 989).
      for (i = 2; i <= nf; i++) {
        p = found[i]
        for (j = i - 1; j >= 1 && (start[found[j]] + 0 > start[p] + 0 || (start[found[j]] + 0 == start[p] + 0 && found[j] + 0 > p + 0)); j--)
          found[j + 1] = found[j]
        found[j + 1] = p
      }
      for (i = 1; i <= nf && i <= 10; i++) print say(found[i])
      if (nf > 10) printf "... and %d more\n", nf - 10
      if (nf && !hzsaid) print "(ages assume 100 clock ticks per second: no getconf here to ask)"
      exit fail
    }' "$HYP_PLUGIN_DIR/process-want" "$HYP_PLUGIN_DIR/process-label" "$HYP_PLUGIN_DIR/process-uptime" \
    "$HYP_PLUGIN_DIR/process-table" "$HYP_PLUGIN_DIR/process-args"
}
