#!/bin/sh
# Which step of reaching the upstream fails: name resolution, or the connection itself?
host=${UPSTREAM_HOST:-api.openai.com}
if command -v getent >/dev/null 2>&1; then
  resolved=$(getent hosts "$host")
else
  resolved=$(nslookup "$host" 2>/dev/null | awk '/^Address/ && !/#/ { print $2 }')
fi
if [ -z "$resolved" ]; then
  printf 'DNS: %s does not resolve (resolv.conf: %s)\n' "$host" "$(grep -m1 '^nameserver' /etc/resolv.conf 2>/dev/null)"
  exit 1
fi
printf 'DNS: %s -> %s\n' "$host" "$(printf '%s' "$resolved" | head -n 1)"
if curl -sS -o /dev/null --max-time 5 "https://$host/"; then
  printf 'TCP/TLS: %s:443 reachable\n' "$host"
else
  printf 'TCP/TLS: %s:443 unreachable (exit %s)\n' "$host" "$?"
  exit 1
fi
