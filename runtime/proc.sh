# hypothecary runtime: proc
# Ends a plugin with its whole process tree. A shell or script plugin runs in a session of its
# own (setsid), so its processes keep the session id even after their parents exit and they are
# re-parented; a prebuilt runs under the plugin's supervisor. Either way /proc tells us every
# process that belongs to the plugin, which `kill -PGID` alone would not (a grandchild may have
# moved to a group of its own, and setsid is missing in some images).

# hyp_proc_members ROOTS [SIDS]: prints the live PIDs below any of ROOTS (not ROOTS themselves)
# or in any of the sessions SIDS, and everything below those (lists split on spaces). Zombies
# are left out: they are past killing.
hyp_proc_members() {
  # Processes come and go while we read; a vanished one is simply not listed.
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v roots="$1" -v sids="${2:-}" '
    BEGIN {
      n = split(roots, r, " "); for (i = 1; i <= n; i++) root[r[i]] = 1
      n = split(sids, s, " "); for (i = 1; i <= n; i++) sid[s[i]] = 1
    }
    {
      pid = $1
      rest = $0
      sub(/^.*\) /, "", rest) # the command name may hold spaces and parentheses
      split(rest, f, " ")
      state[pid] = f[1]
      parent[pid] = f[2]
      if (!(pid in root) && (f[4] in sid)) member[pid] = 1
    }
    END {
      do {
        grown = 0
        for (p in parent) {
          if ((p in member) || (p in root)) continue
          if ((parent[p] in root) || (parent[p] in member)) { member[p] = 1; grown = 1 }
        }
      } while (grown)
      for (p in member) if (state[p] != "Z") print p
    }'
}

# hyp_proc_signal SIGNAL ROOT [SID]: sends SIGNAL to every member; true when there were any.
hyp_proc_signal() {
  _hyp_proc_signal_pids=$(hyp_proc_members "$2" "${3:-}")
  if [ -z "$_hyp_proc_signal_pids" ]; then
    # Without /proc, fall back to the session's process group.
    [ -r /proc/self/stat ] || { [ -n "${3:-}" ] && kill -s "$1" -- "-$3" 2>/dev/null; }
    return 1
  fi
  # shellcheck disable=SC2086 # a list of PIDs, split on purpose
  kill -s "$1" $_hyp_proc_signal_pids 2>/dev/null
  return 0
}

# hyp_pid_alive PID: a running process, not a zombie. A killed process whose parent is gone
# stays a zombie, answering kill -0, until PID 1 reaps it; in a container whose PID 1 is the app
# rather than an init, that may be never.
hyp_pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  [ -r "/proc/$1/stat" ] || return 0
  # shellcheck disable=SC2162 # plain read: see hyp_now_ms
  read _hyp_alive_stat 2>/dev/null <"/proc/$1/stat" || return 1
  # The state follows the last ") ": the command name may hold either. (Quoted: ksh93 cannot
  # parse an unquoted `)` in this pattern inside a case word.)
  _hyp_alive_state=${_hyp_alive_stat##*") "}
  case $_hyp_alive_state in Z*) return 1 ;; esac
}

# hyp_proc_tools: what this system offers for running plugins: hyp_setsid (1 when there is a
# setsid; read by runtime/session.sh and runtime/watch.sh) and hyp_tick, the poll interval
# (0.05 s where `sleep` takes fractions, as coreutils and busybox do; else POSIX's whole 1 s).
hyp_proc_tools() {
  hyp_setsid=
  # shellcheck disable=SC2034 # read by session.sh and watch.sh, which a runner may lack
  command -v setsid >/dev/null 2>&1 && hyp_setsid=1
  hyp_tick=1
  sleep 0.01 2>/dev/null && hyp_tick=0.05
}
