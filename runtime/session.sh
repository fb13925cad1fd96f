# hypothecary runtime: session
# requires: observe-http
# Runs a user's command in a session of its own, so that on timeout the runner can end every
# process it started, orphans included (see runtime/proc.sh). The session leader writes its PID,
# which is the session id, before it becomes the command. Without setsid the command still runs
# and the process-tree walk is the only way to stop it.

# hyp_exec_in_session COMMAND [ARG...]: replaces the calling subshell with COMMAND.
hyp_exec_in_session() {
  hyp_observed_path
  if [ -n "$hyp_setsid" ]; then
    # shellcheck disable=SC2016 # $$ and $@ are the session leader's, not ours
    exec setsid sh -c 'printf "%s\n" "$$" >"$HYP_PLUGIN_DIR/session" && exec "$@"' hyp-session "$@"
  fi
  exec "$@"
}

# hyp_run_shell COMMAND: a `shell` plugin: COMMAND exactly as the user wrote it, run by sh.
hyp_run_shell() {
  hyp_exec_in_session sh -c "$1" "$HYP_PLUGIN"
}
