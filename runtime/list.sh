# hypothecary runtime: list
# `list`: every plugin with its type (and a prebuilt's name), scheduling and triggers, and where
# each response leads.

hyp_cmd_list() {
  printf 'service %s: %s plugin(s), roots marked *\n' "$HYP_SERVICE" "$HYP_PLUGIN_COUNT"
  _hyp_list_i=1
  while [ "$_hyp_list_i" -le "$HYP_PLUGIN_COUNT" ]; do
    "hyp_plugin_$_hyp_list_i"
    _hyp_list_edges=$hyp_edges
    _hyp_list_root=' '
    case " $HYP_ROOTS " in *" $_hyp_list_i "*) _hyp_list_root='*' ;; esac
    # A prebuilt plugin names the prebuilt it runs: what `hypothecary plugins --config` says is compiled in.
    _hyp_list_kind=$hyp_type
    [ "$hyp_type" != prebuilt ] || _hyp_list_kind="prebuilt ${hyp_prebuilt-}"
    _hyp_list_mode=sequential
    [ "$hyp_parallel" != 1 ] || _hyp_list_mode=parallel
    _hyp_list_when=
    [ "$_hyp_list_root" = ' ' ] || _hyp_list_when="  on: $hyp_triggers"
    case " $hyp_triggers " in *" periodic "*) _hyp_list_when="$_hyp_list_when (every $(hyp_duration_text "$hyp_interval_ms"))" ;; esac
    printf '%s %s  %s, %s, timeout %s%s\n' "$_hyp_list_root" "$hyp_name" "$_hyp_list_kind" "$_hyp_list_mode" \
      "$(hyp_duration_text "$hyp_timeout_ms")" "$_hyp_list_when"
    for _hyp_list_edge in $_hyp_list_edges; do
      _hyp_list_child=${_hyp_list_edge#*:}
      if [ "$_hyp_list_child" = - ]; then
        _hyp_list_target='(end of branch)'
      else
        "hyp_plugin_$_hyp_list_child"
        _hyp_list_target=$hyp_name
      fi
      printf '      %s -> %s\n' "${_hyp_list_edge%%:*}" "$_hyp_list_target"
    done
    _hyp_list_i=$((_hyp_list_i + 1))
  done
}
