# hypothecary runtime: proc
# Ends a plugin with its whole process tree. A shell or script plugin runs in a session of its
# own (setsid), so its processes keep the session id even after their parents exit and they are
# re-parented; a prebuilt runs under the plugin's supervisor. Either way /proc tells us every
# process that belongs to the plugin, which `kill -PGID` alone would not (a grandchild may have
# moved to a group of its own, and setsid is missing in some images).

# hyp_proc_members ROOT [SID]: prints the PIDs below ROOT (not ROOT itself) and in session SID,
# and everything below those.
hyp_proc_members() {
  # Processes come and go while we read; a vanished one is simply not listed.
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" -v sid="${2:-}" '
    {
      pid = $1
      rest = $0
      sub(/^.*\) /, "", rest) # the command name may hold spaces and parentheses
      split(rest, f, " ")
      parent[pid] = f[2]
      session[pid] = f[4]
    }
    END {
      for (p in parent) if (sid != "" && session[p] == sid) member[p] = 1
      do {
        grown = 0
        for (p in parent) {
          if ((p in member) || p == root) continue
          if (parent[p] == root || (parent[p] in member)) { member[p] = 1; grown = 1 }
        }
      } while (grown)
      for (p in member) print p
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
