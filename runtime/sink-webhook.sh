# hypothecary runtime: sink-webhook
# requires: sinks
# A plain webhook: POST the run's report lines to the URL as one JSON array, with the sink's
# `headers`; a token, when given, as `Authorization: Bearer`.

hyp_sink_prepare_webhook() {
  hyp_sink_path='' hyp_sink_auth='Authorization: Bearer ' hyp_sink_fixed=
}

# hyp_sink_body_webhook: the array of the report lines on stdin.
hyp_sink_body_webhook() {
  awk "$hyp_json_awk$hyp_sink_awk"'
    BEGIN { json_init(); printf "[" }
    { printf "%s%s", (NR > 1 ? "," : ""), report_value($0) }
    END { print "]" }'
}
