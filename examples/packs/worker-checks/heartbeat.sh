# hypothecary prebuilt: HEARTBEAT
# summary: Checks that a worker's heartbeat file was touched recently.
# reports: how long ago the file was last touched, against the limit; or that it is missing.
# function: hyp_prebuilt_heartbeat
# requires: plugin-api lib/file-age
# param path: string, required -- the file the worker touches on every loop
# param max_age: duration = 5m -- older than this, the worker is taken to be stuck
#
# An example of a plugin pack (see examples/packs/README.md): teams keep checks like this one
# beside their services and import them with `imports: [./packs/worker-checks]`.

# hyp_prebuilt_heartbeat: prints one line, for example
#   HEARTBEAT /tmp/worker.heartbeat: touched 12 s ago (limit 300 s)
#   HEARTBEAT /tmp/worker.heartbeat: touched 913 s ago, over the limit of 300 s: the worker looks stuck
hyp_prebuilt_heartbeat() {
  _hyp_prebuilt_heartbeat_limit=${hyp_arg_max_age:-300}
  # Whole seconds: the limit may come as 0.5 (seconds, from the compiler).
  _hyp_prebuilt_heartbeat_limit=${_hyp_prebuilt_heartbeat_limit%%.*}
  worker_file_age "$hyp_arg_path"
  case $? in
    0) ;;
    1)
      printf 'HEARTBEAT %s: no such file: the worker never started, or writes elsewhere\n' "$hyp_arg_path"
      return 1
      ;;
    *) hyp_skip "no stat that reports modification times (stat -c %Y)" ;;
  esac
  if [ "$worker_age_secs" -gt "${_hyp_prebuilt_heartbeat_limit:-0}" ]; then
    printf 'HEARTBEAT %s: touched %s s ago, over the limit of %s s: the worker looks stuck\n' \
      "$hyp_arg_path" "$worker_age_secs" "$_hyp_prebuilt_heartbeat_limit"
    return 1
  fi
  printf 'HEARTBEAT %s: touched %s s ago (limit %s s)\n' "$hyp_arg_path" "$worker_age_secs" "$_hyp_prebuilt_heartbeat_limit"
}
