#!/bin/sh
# The request the service makes to its upstream, as the runbook says to try it by hand.
curl -sS -o /dev/null -w 'upstream: HTTP %{http_code}\n' --max-time 10 "${UPSTREAM_URL:-https://api.openai.com/v1/engines}"
