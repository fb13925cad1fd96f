# hypothecary runtime: script
# requires: session
# A `script` plugin's file was read at compile time and travels inside the runner; at run time
# it is written to the plugin's folder and handed to the interpreter its `#!` line names (or sh).
# Running the interpreter ourselves works where the folder is mounted noexec.

# hyp_run_script INTERPRETER CONTENT: INTERPRETER is the `#!` line without `#!`: a program and at
# most one argument, split as the kernel would.
hyp_run_script() {
  printf '%s' "$2" >"$HYP_PLUGIN_DIR/script" || exit 126
  _hyp_script_program=${1%%[ 	]*}
  _hyp_script_arg=${1#"$_hyp_script_program"}
  while :; do
    case $_hyp_script_arg in [' 	']*) _hyp_script_arg=${_hyp_script_arg#?} ;; *) break ;; esac
  done
  if [ -n "$_hyp_script_arg" ]; then
    hyp_exec_in_session "$_hyp_script_program" "$_hyp_script_arg" "$HYP_PLUGIN_DIR/script"
  fi
  hyp_exec_in_session "$_hyp_script_program" "$HYP_PLUGIN_DIR/script"
}
