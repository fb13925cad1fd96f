# hypothecary runtime: sink-loki
# requires: sinks
# Grafana Loki's push API: POST <url>/loki/api/v1/push, one stream with the sink's labels whose
# values are the report lines, each stamped in nanoseconds (as a string). `tenant` is sent as
# X-Scope-OrgID; a token, when given, as `Authorization: Bearer`.

hyp_sink_prepare_loki() {
  hyp_sink_path=/loki/api/v1/push hyp_sink_auth='Authorization: Bearer ' hyp_sink_fixed=
  [ -z "$hyp_sink_tenant" ] || hyp_sink_fixed="X-Scope-OrgID: $hyp_sink_tenant"
}

# hyp_sink_body_loki: the push request for the report lines on stdin. Line k (from 0) is stamped
# with the delivery's second plus k nanoseconds: in order, and each its own entry.
hyp_sink_body_loki() {
  HYPS_LABELS=$hyp_sink_labels awk "$hyp_json_awk$hyp_sink_awk"'
    BEGIN {
      json_init()
      n = split(ENVIRON["HYPS_LABELS"], l, "\n")
      for (i = 1; i <= n; i++) {
        eq = index(l[i], "=")
        labels = labels (i > 1 ? "," : "") json_string(substr(l[i], 1, eq - 1)) ":" json_string(substr(l[i], eq + 1))
      }
      printf "{\"streams\":[{\"stream\":{%s},\"values\":[", labels
    }
    { printf "%s[\"%s%09d\",%s]", (NR > 1 ? "," : ""), ENVIRON["HYPS_EPOCH"], NR - 1, json_string($0) }
    END { print "]}]}" }'
}
