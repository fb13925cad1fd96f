# hypothecary runtime: sink-slack
# requires: sinks
# A Slack incoming webhook: POST {"text": ...}, a short summary of the run for people: service,
# trigger, counts and verdict. The webhook URL is the secret (url_env or url_file).

hyp_sink_prepare_slack() {
  hyp_sink_path='' hyp_sink_auth='' hyp_sink_fixed=
}

# hyp_sink_body_slack: the message, from the summary among the report lines on stdin (its JSON
# fields, or the text format's SUMMARY line). &, < and > are escaped, as Slack asks.
hyp_sink_body_slack() {
  HYPS_SERVICE=$HYP_SERVICE HYPS_RUN_ID=$HYP_RUN_ID HYPS_TRIGGER=$HYP_TRIGGER awk "$hyp_json_awk"'
    function count(name) { return match($0, "\"" name "\":[0-9]+") ? substr($0, RSTART + length(name) + 3, RLENGTH - length(name) - 3) : "?" }
    # slack_escape: the three Slack asks for; JSON escapes never hold one of them.
    function slack_escape(s,    out, c, i) {
      out = ""
      for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        out = out (c == "&" ? "&amp;" : c == "<" ? "&lt;" : c == ">" ? "&gt;" : c)
      }
      return out
    }
    BEGIN { json_init() }
    /^\{"event":"summary"/ {
      verdict = match($0, /"verdict":"([^"\\]|\\.)*"/) ? substr($0, RSTART + 11, RLENGTH - 12) : ""
      text = sprintf("%s plugins: %s passed, %s failed, %s timed out, %s skipped. %s", count("total"), count("passed"),
        count("failed"), count("timed_out"), count("skipped"), verdict)
    }
    /^SUMMARY / { text = json_escape(substr($0, 9), 3000) }
    { lines++ }
    END {
      head = json_escape("hypothecary: " ENVIRON["HYPS_SERVICE"] ", " ENVIRON["HYPS_TRIGGER"] " run " ENVIRON["HYPS_RUN_ID"] ": ", 0)
      if (text == "") text = lines " report lines, no summary"
      printf "{\"text\":\"%s\"}\n", slack_escape(head text)
    }'
}
