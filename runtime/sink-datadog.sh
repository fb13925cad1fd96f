# hypothecary runtime: sink-datadog
# requires: sinks
# Datadog's logs intake (v2): POST https://http-intake.logs.SITE/api/v2/logs (or the sink's
# `url`), `DD-API-KEY: TOKEN`, a JSON array with one entry per report line.

hyp_sink_prepare_datadog() {
  hyp_sink_path='' hyp_sink_auth='DD-API-KEY: ' hyp_sink_fixed=
}

# hyp_sink_body_datadog: the entries for the report lines on stdin: `message` is the line (which
# Datadog parses as JSON), tagged with the run's trigger and the sink's `tags`.
hyp_sink_body_datadog() {
  HYPS_SOURCE=$hyp_sink_source HYPS_SERVICE=$hyp_sink_service HYPS_TAGS=$hyp_sink_tags HYPS_TRIGGER=$HYP_TRIGGER \
    awk "$hyp_json_awk$hyp_sink_awk"'
    BEGIN {
      json_init()
      tags = "trigger:" ENVIRON["HYPS_TRIGGER"] (ENVIRON["HYPS_TAGS"] == "" ? "" : "," ENVIRON["HYPS_TAGS"])
      tail = sprintf(",\"ddsource\":%s,\"service\":%s,\"hostname\":%s,\"ddtags\":%s}", json_string(ENVIRON["HYPS_SOURCE"]),
        json_string(ENVIRON["HYPS_SERVICE"]), json_string(sink_host()), json_string(tags))
      printf "["
    }
    { printf "%s{\"message\":%s%s", (NR > 1 ? "," : ""), json_string($0), tail }
    END { print "]" }'
}
