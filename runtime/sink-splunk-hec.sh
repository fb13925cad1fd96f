# hypothecary runtime: sink-splunk-hec
# requires: sinks
# Splunk's HTTP Event Collector: POST <url>/services/collector/event, `Authorization: Splunk
# TOKEN`, one event envelope per report line (several envelopes in one body, as HEC takes them).

hyp_sink_prepare_splunk_hec() {
  hyp_sink_path=/services/collector/event hyp_sink_auth='Authorization: Splunk ' hyp_sink_fixed=
}

# hyp_sink_body_splunk_hec: the envelopes for the report lines on stdin. `time` is the delivery's
# epoch seconds (a number), `event` the report object itself.
hyp_sink_body_splunk_hec() {
  HYPS_INDEX=$hyp_sink_index HYPS_SOURCE=$hyp_sink_source HYPS_SOURCETYPE=$hyp_sink_sourcetype \
    awk "$hyp_json_awk$hyp_sink_awk"'
    BEGIN {
      json_init()
      head = sprintf("{\"time\":%s,\"host\":%s,\"source\":%s,\"sourcetype\":%s,", ENVIRON["HYPS_EPOCH"],
        json_string(sink_host()), json_string(ENVIRON["HYPS_SOURCE"]), json_string(ENVIRON["HYPS_SOURCETYPE"]))
      if (ENVIRON["HYPS_INDEX"] != "") head = head "\"index\":" json_string(ENVIRON["HYPS_INDEX"]) ","
    }
    { printf "%s\"event\":%s}\n", head, report_value($0) }'
}
