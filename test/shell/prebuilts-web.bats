#!/usr/bin/env bats
# What HTTP gained (latency budget, body match, request headers, proxy) and the EGRESS and
# CLOCK-SKEW prebuilts, against real loopback peers: test/support/http-server.mjs (targets, with
# chosen Date headers and bodies) and test/support/proxy-server.mjs (a forward + CONNECT proxy
# that allows, denies with 403 or wants credentials, 407), through curl, GNU wget and busybox
# wget. Run under one shell:
#   HYP_SH=posh node_modules/bats/bin/bats test/shell/prebuilts-web.bats

load ../support/prebuilt-helpers

setup_file() {
  hyp_shell_argv
  export HYP_BINS=$BATS_FILE_TMPDIR/bin
  hyp_bin_dir curl curl
  hyp_bin_dir wget wget
  hyp_busybox_dir busybox
  hyp_bin_dir none
  # Spies: the same tools, behind a shim that logs every command line it is given, so a test
  # can prove a secret never reached one (ps shows command lines to every user).
  export ARGV_LOG=$BATS_FILE_TMPDIR/argv.log
  spy_dir curl-spy curl "$(type -P curl)"
  spy_dir wget-spy wget "$(type -P wget)"
  hyp_busybox_dir busybox-spy
  rm -f "$HYP_BINS/busybox-spy/wget"
  spy_shim "$HYP_BINS/busybox-spy/wget" "$(type -P busybox)" wget

  # The peers start together (node takes a while to start), then each is waited for.
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$BATS_FILE_TMPDIR/key.pem" -out "$BATS_FILE_TMPDIR/cert.pem" 2>/dev/null
  launch http http-server.mjs
  launch https http-server.mjs --tls "$BATS_FILE_TMPDIR/cert.pem" "$BATS_FILE_TMPDIR/key.pem"
  launch allow proxy-server.mjs allow
  launch deny proxy-server.mjs deny
  launch auth proxy-server.mjs auth 'proxyuser:pr0xy-s3cret'
  launch closed tcp-server.mjs closed
  launch blackhole tcp-server.mjs blackhole
  local name
  for name in "${!LAUNCHED[@]}"; do hyp_wait_port "$name" "${LAUNCHED[$name]}"; done
}

teardown_file() {
  hyp_stop "${HTTP_PID-}" "${HTTPS_PID-}" "${ALLOW_PID-}" "${DENY_PID-}" "${AUTH_PID-}" \
    "${CLOSED_PID-}" "${BLACKHOLE_PID-}"
}

setup() {
  hyp_shell_argv
  HYP_TEST_MARK="prebuilts-web-$$-$BATS_TEST_NUMBER-$RANDOM"
  : >"$ARGV_LOG"
}

teardown() {
  assert_no_leftovers
}

# ---- helpers -------------------------------------------------------------------------------------

# spy_shim FILE PROGRAM [ARG...]: FILE runs PROGRAM ARG... "$@", after logging "$@" to $ARGV_LOG.
spy_shim() {
  local file=$1 program=$2
  shift 2
  {
    printf '#!%s\n' "$(type -P bash)"
    printf 'printf "%%s\\n" "$*" >>%q\n' "$ARGV_LOG"
    printf 'exec %q' "$program"
    (($# == 0)) || printf ' %q' "$@"
    printf ' "$@"\n'
  } >"$file"
  chmod +x "$file"
}

spy_dir() {
  hyp_bin_dir "$1"
  spy_shim "$HYP_BINS/$1/$2" "$3"
}

# launch NAME SCRIPT [ARG...]: starts the peer test/support/SCRIPT, which writes its port to
# $BATS_FILE_TMPDIR/NAME.port (a proxy logs its requests in NAME.port.log); hyp_wait_port
# NAME PID waits for it.
declare -A LAUNCHED
launch() {
  local name=$1 script=$2
  shift 2
  rm -f "$BATS_FILE_TMPDIR/$name.port"
  # 3>&-: bats waits for fd 3 to close; a server holding it would hang the run.
  node "$HYP_ROOT/test/support/$script" "$BATS_FILE_TMPDIR/$name.port" "$@" \
    >"$BATS_FILE_TMPDIR/$name.out" 2>&1 3>&- &
  LAUNCHED[$name]=$!
}

# run_code BIN CODE: CODE after plugin-api.sh, lib/net.sh and the given stdlib files ($FILES).
run_code() {
  local script=$BATS_TEST_TMPDIR/code.sh f
  PLUGIN_DIR=$BATS_TEST_TMPDIR/plugin
  mkdir -p "$PLUGIN_DIR"
  {
    printf 'HYP_PLUGIN_DIR=%s\n' "$(hyp_quote "$PLUGIN_DIR")"
    cat "$HYP_ROOT/runtime/plugin-api.sh" "$HYP_ROOT/runtime/clock.sh" "$HYP_ROOT/stdlib/lib/net.sh" "$HYP_ROOT/stdlib/lib/time.sh"
    for f in ${FILES-}; do cat "$HYP_ROOT/stdlib/$f"; done
    printf '%s\n' "$2"
  } >"$script"
  hyp_run_script "$script" "$1"
}

url() { printf 'http://127.0.0.1:%s%s' "$HTTP_PORT" "$1"; }
tls_url() { printf 'https://127.0.0.1:%s%s' "$HTTPS_PORT" "$1"; }
proxy() { printf 'http://127.0.0.1:%s' "$(eval "printf %s \"\$${1^^}_PORT\"")"; }
# How many requests with TAG in them the proxy NAME saw.
proxied() { grep -c -F -- "$2" "$BATS_FILE_TMPDIR/$1.port.log" || true; }

# The first line (or line N), ports named and milliseconds made predictable.
line() {
  printf '%s\n' "${lines[${1:-0}]}" | sed -E \
    -e "s/:$HTTP_PORT([^0-9]|$)/:HTTP\1/g; s/:$HTTPS_PORT([^0-9]|$)/:HTTPS\1/g" \
    -e "s/:$ALLOW_PORT([^0-9]|$)/:ALLOW\1/g; s/:$DENY_PORT([^0-9]|$)/:DENY\1/g; s/:$AUTH_PORT([^0-9]|$)/:AUTH\1/g" \
    -e "s/:$CLOSED_PORT([^0-9]|$)/:CLOSED\1/g; s/:$BLACKHOLE_PORT([^0-9]|$)/:BLACKHOLE\1/g" \
    -e "s/ in [0-9]+ ms/ in N ms/g"
}

# ---- the files themselves ------------------------------------------------------------------------

@test "stdlib: http, egress, clock-skew and lib/net pass shellcheck -s sh and are ASCII" {
  local files=("$HYP_ROOT/stdlib/http.sh" "$HYP_ROOT/stdlib/egress.sh" "$HYP_ROOT/stdlib/clock-skew.sh" "$HYP_ROOT/stdlib/lib/net.sh" "$HYP_ROOT/stdlib/lib/time.sh")
  run shellcheck -s sh "${files[@]}"
  assert_success
  assert_output ""
  run env LC_ALL=C grep -n '[^[:print:][:space:]]' "${files[@]}"
  assert_failure 1
}

# ---- lib/net: pure helpers -----------------------------------------------------------------------

@test "lib/net: hyp_net_secs_ms and hyp_net_mask_url" {
  run_code none '
    for v in 5 0.5 0.05 1.2345 86400 007 .5 abc 1.2.3; do
      if hyp_net_secs_ms "$v"; then printf "%s => %s\n" "$v" "$hyp_net_msecs"; else printf "%s => bad\n" "$v"; fi
    done
    for u in http://u:p@proxy:3128 u:secret@proxy:3128 http://proxy:3128 http://user@proxy/; do
      hyp_net_mask_url "$u"; printf "%s\n" "$hyp_net_masked"
    done'
  assert_success
  assert_output "5 => 5000
0.5 => 500
0.05 => 50
1.2345 => 1234
86400 => 86400000
007 => 7000
.5 => 500
abc => bad
1.2.3 => bad
http://u:***@proxy:3128
u:***@proxy:3128
http://proxy:3128
http://user@proxy/"
}

@test "lib/net: hyp_net_env_proxy picks the variable for the scheme and honours no_proxy" {
  run_code none '
    try() {
      hyp_net_env_proxy "$1" "$2" "$3"
      printf "%s %s:%s -> [%s] [%s] [%s] [%s]\n" "$1" "$2" "$3" "$hyp_net_proxy_var" "$hyp_net_proxy_url" "$hyp_net_no_proxy_entry" "$hyp_net_proxy_note"
    }
    try https a.example.com 443
    export http_proxy=http://p:3128; try http a.example.com 80; try https a.example.com 443
    export HTTPS_PROXY=http://q:3128; try https a.example.com 443
    export https_proxy=http://r:3128; try https a.example.com 443
    export no_proxy="localhost, .svc.cluster.local,example.com,10.0.0.0/8,[::1],host:8443,*.corp"
    for h in "a.example.com 443" "example.com 443" "badexample.com 443" "x.svc.cluster.local 443" "svc.cluster.local 443" \
             "10.1.2.3 443" "11.1.2.3 443" "::1 443" "host 8443" "host 443" "b.corp 443" "localhost 443"; do
      set -- $h; try https "$1" "$2"
    done
    export no_proxy="*"; try https anything 443'
  assert_success
  assert_output "https a.example.com:443 -> [] [] [] []
http a.example.com:80 -> [http_proxy] [http://p:3128] [] []
https a.example.com:443 -> [] [] [] [http_proxy is set, but clients use it for http:// URLs only; https_proxy is not set]
https a.example.com:443 -> [HTTPS_PROXY] [http://q:3128] [] [only HTTPS_PROXY is set: GNU and busybox wget read only the lowercase https_proxy]
https a.example.com:443 -> [https_proxy] [http://r:3128] [] []
https a.example.com:443 -> [https_proxy] [] [example.com] []
https example.com:443 -> [https_proxy] [] [example.com] []
https badexample.com:443 -> [https_proxy] [http://r:3128] [] []
https x.svc.cluster.local:443 -> [https_proxy] [] [.svc.cluster.local] []
https svc.cluster.local:443 -> [https_proxy] [] [.svc.cluster.local] []
https 10.1.2.3:443 -> [https_proxy] [] [10.0.0.0/8] []
https 11.1.2.3:443 -> [https_proxy] [http://r:3128] [] []
https ::1:443 -> [https_proxy] [] [[::1]] []
https host:8443 -> [https_proxy] [] [host:8443] []
https host:443 -> [https_proxy] [http://r:3128] [] []
https b.corp:443 -> [https_proxy] [] [*.corp] []
https localhost:443 -> [https_proxy] [] [localhost] []
https anything:443 -> [https_proxy] [] [*] []"
}

# ---- HTTP: latency budget ------------------------------------------------------------------------

@test "HTTP/curl: an answer slower than the latency budget fails; within it passes" {
  run_prebuilt curl http url="$(url /slow/0.4)" latency=0.1
  assert_failure 1
  assert_regex "${lines[0]}" "^HTTP GET http://127\.0\.0\.1:$HTTP_PORT/slow/0\.4 -> 200 in ([4-9][0-9][0-9]|[0-9]{4}) ms \(budget 100ms\)\$"
  assert_recorded_status 200
  run_prebuilt curl http url="$(url /status/200)" latency=3
  assert_success
  assert_equal "$(line)" "HTTP GET http://127.0.0.1:HTTP/status/200 -> 200 in N ms"
  # A wrong status and a blown budget: both said.
  run_prebuilt curl http url="$(url /slow/0.4)" latency=0.1 status=204
  assert_failure 1
  assert_equal "$(line)" "HTTP GET http://127.0.0.1:HTTP/slow/0.4 -> 200 (expected 204) in N ms (budget 100ms)"
}

@test "HTTP/wget, busybox: the latency budget" {
  local bin
  for bin in wget busybox; do
    run_prebuilt "$bin" http url="$(url /slow/0.4)" latency=0.1
    assert_failure 1
    assert_equal "$(line)" "HTTP GET http://127.0.0.1:HTTP/slow/0.4 -> 200 in N ms (budget 100ms)"
    run_prebuilt "$bin" http url="$(url /status/200)" latency=2
    assert_success
  done
}

# ---- HTTP: body ----------------------------------------------------------------------------------

@test "HTTP/curl: the body must match; a mismatch shows its first lines" {
  run_prebuilt curl http url="$(url '/body?text=hello\nworld%20ok\n')" body='^world +ok$'
  assert_success
  assert_equal "$(line)" 'HTTP GET http://127.0.0.1:HTTP/body?text=hello\nworld%20ok\n -> 200 in N ms, body matches "^world +ok$"'
  run_prebuilt curl http url="$(url '/body?text=status:%20degraded\n&lines=8')" body='"?status"?: *"?ok'
  assert_failure 1
  assert_equal "$(line)" 'HTTP GET http://127.0.0.1:HTTP/body?text=status:%20degraded\n&lines=8 -> 200 in N ms, but the body does not match ""?status"?: *"?ok"'
  assert_equal "${lines[1]}" "body (first 5 of 9 lines):"
  assert_equal "${lines[2]}" "  | status: degraded"
  assert_equal "${lines[6]}" "  | line 4"
  assert_equal "${#lines[@]}" 7
  run_prebuilt curl http url="$(url '/body')" body=x
  assert_failure 1
  assert_equal "${lines[1]}" "body: (empty)"
}

@test "HTTP/wget, busybox: the body must match" {
  local bin
  for bin in wget busybox; do
    run_prebuilt "$bin" http url="$(url '/body?text=a\nready:%20yes\n')" body='ready: (yes|true)'
    assert_success
    run_prebuilt "$bin" http url="$(url '/body?text=ready:%20no\n')" body='ready: (yes|true)'
    assert_failure 1
    assert_equal "${lines[1]}" "body:"
    assert_equal "${lines[2]}" "  | ready: no"
  done
}

@test "HTTP: a body on a wrong status is not checked; bad expressions and HEAD exit 2" {
  run_prebuilt curl http url="$(url /status/503)" body=nomatch
  assert_failure 1
  assert_equal "$(line)" "HTTP GET http://127.0.0.1:HTTP/status/503 -> 503 (expected 2xx) in N ms"
  run_prebuilt curl http url="$(url /status/200)" body='(unclosed'
  assert_failure 2
  assert_equal "$(line)" 'HTTP GET http://127.0.0.1:HTTP/status/200 -> 200 in N ms, but "(unclosed" is not an extended regular expression'
  run_prebuilt curl http url="$(url /status/200)" method=HEAD body=x
  assert_failure 2
  assert_output 'HTTP: an answer to HEAD has no body to match "x" against'
}

# ---- HTTP: request headers -----------------------------------------------------------------------

HEADERS=$'X-Trace: abc 123\nAuthorization: Bearer t0ken-s3cret\nX-Quote: a "b" \\c $d'

@test "HTTP/curl and wget: headers are sent, and never on a command line" {
  local bin
  for bin in curl-spy wget-spy; do
    : >"$ARGV_LOG"
    run_prebuilt "$bin" http url="$(url /headers)" headers="$HEADERS" body='^authorization: Bearer t0ken-s3cret$'
    assert_success
    run_prebuilt "$bin" http url="$(url /headers)" headers="$HEADERS" body='^x-quote: a "b" \\c \$d$'
    assert_success
    run_prebuilt "$bin" http url="$(url /headers)" headers="$HEADERS" body='^x-trace: abc 123$'
    assert_success
    # The tool ran (its command line was logged), and no header was on that line.
    run grep -c -F /headers "$ARGV_LOG"
    assert_output 3
    run grep -E 't0ken|X-Trace|abc 123' "$ARGV_LOG"
    assert_failure 1
    # The config file that carried them is gone.
    [[ ! -e $PLUGIN_DIR/net-conf ]]
  done
  refute_output --partial s3cret
}

@test "HTTP/busybox: plain headers go on its command line; a credential is skipped, with the reason" {
  run_prebuilt busybox-spy http url="$(url /headers)" headers=$'X-Trace: abc\nAccept: text/plain' body='^x-trace: abc$'
  assert_success
  run grep -c -F -- '--header X-Trace: abc' "$ARGV_LOG"
  assert_output 1
  : >"$ARGV_LOG"
  run_prebuilt busybox-spy http url="$(url /headers)" headers="$HEADERS"
  assert_success
  assert_output "skipped: busybox wget takes request headers only on its command line, where any user sees them (ps); Authorization looks like a credential and is not sent that way (install curl or GNU wget)"
  [[ -f $PLUGIN_DIR/skipped ]]
  # busybox wget was asked for --version (GNU wget answers), and never sent the request.
  run grep -c -e --header -e /headers "$ARGV_LOG"
  assert_output 0
}

@test "HTTP: a header that is not \"Name: value\" exits 2 without showing values" {
  run_prebuilt curl http url="$(url /headers)" headers=$'X-Ok: 1\nsecret-without-colon'
  assert_failure 2
  assert_output 'HTTP: header 2 is not "Name: value"'
}

# ---- HTTP: proxy ---------------------------------------------------------------------------------

@test "HTTP/curl: a proxy parameter is used, whatever no_proxy says; its password is not shown" {
  run_prebuilt curl http no_proxy=127.0.0.1 -- url="$(url '/status/200?tag=curl-forced')" proxy="$(proxy allow)"
  assert_success
  assert_equal "$(line)" "HTTP GET http://127.0.0.1:HTTP/status/200?tag=curl-forced via proxy http://127.0.0.1:ALLOW -> 200 in N ms"
  assert_equal "$(proxied allow tag=curl-forced)" 1
  run_prebuilt curl http url="$(url /status/200)" proxy="$(proxy deny)"
  assert_failure 1
  assert_equal "$(line)" "HTTP GET http://127.0.0.1:HTTP/status/200 via proxy http://127.0.0.1:DENY -> 403 (expected 2xx) in N ms"
  run_prebuilt curl http url="$(tls_url /status/200)" proxy="http://proxyuser:pr0xy-s3cret@127.0.0.1:$AUTH_PORT" insecure=1
  assert_success
  assert_equal "$(line)" "HTTP GET https://127.0.0.1:HTTPS/status/200 via proxy http://proxyuser:***@127.0.0.1:AUTH -> 200 in N ms"
  refute_output --partial s3cret
  run_prebuilt curl http url="$(tls_url /status/200)" proxy="$(proxy deny)" insecure=1
  assert_failure 1
  assert_equal "$(line)" "HTTP GET https://127.0.0.1:HTTPS/status/200 via proxy http://127.0.0.1:DENY -> proxy: CONNECT answered 403 Forbidden"
}

@test "HTTP/wget: a proxy parameter, for http (forward) and https (CONNECT)" {
  run_prebuilt wget-spy http no_proxy=127.0.0.1 -- url="$(url '/status/200?tag=wget-forced')" proxy="http://proxyuser:pr0xy-s3cret@127.0.0.1:$AUTH_PORT"
  assert_success
  assert_equal "$(proxied auth 'tag=wget-forced auth')" 1
  run grep -c s3cret "$ARGV_LOG"
  assert_output 0
  run_prebuilt wget http url="$(tls_url /status/200)" proxy="$(proxy deny)" insecure=1
  assert_failure 1
  assert_equal "$(line)" "HTTP GET https://127.0.0.1:HTTPS/status/200 via proxy http://127.0.0.1:DENY -> proxy: CONNECT answered 403 Forbidden"
  run_prebuilt wget http url="$(tls_url /status/200)" proxy="$(proxy auth)" insecure=1
  assert_failure 1
  assert_equal "$(line)" "HTTP GET https://127.0.0.1:HTTPS/status/200 via proxy http://127.0.0.1:AUTH -> proxy: CONNECT answered 407 Proxy Authentication Required"
}

@test "HTTP/busybox: a proxy for http:// through the environment; none for https://, said plainly" {
  run_prebuilt busybox-spy http url="$(url '/status/200?tag=bb-forced')" proxy="http://proxyuser:pr0xy-s3cret@127.0.0.1:$AUTH_PORT"
  assert_success
  assert_equal "$(proxied auth 'tag=bb-forced auth')" 1
  run grep -c s3cret "$ARGV_LOG"
  assert_output 0
  run_prebuilt busybox http url="$(tls_url /status/200)" proxy="$(proxy allow)"
  assert_success
  assert_output "skipped: busybox wget does not use a proxy for https:// URLs, and there is no curl or GNU wget here"
  run_prebuilt busybox http https_proxy="$(proxy allow)" -- url="$(tls_url /status/200)" insecure=1
  assert_success
  assert_equal "${lines[1]}" "note: https_proxy is http://127.0.0.1:$ALLOW_PORT, but busybox wget uses no proxy for https:// URLs: this request went direct"
}

@test "HTTP/curl: the environment's proxy is named; no_proxy and proxy=direct go around it" {
  run_prebuilt curl http http_proxy="$(proxy allow)" -- url="$(url '/status/200?tag=env-proxy')"
  assert_success
  assert_equal "${lines[1]}" "proxy: http://127.0.0.1:$ALLOW_PORT (from http_proxy)"
  assert_equal "$(proxied allow tag=env-proxy)" 1
  run_prebuilt curl http http_proxy="$(proxy allow)" no_proxy=localhost,127.0.0.1 -- url="$(url '/status/200?tag=env-noproxy')"
  assert_success
  assert_equal "${lines[1]}" 'proxy: none (no_proxy entry "127.0.0.1" matches 127.0.0.1)'
  assert_equal "$(proxied allow tag=env-noproxy)" 0
  run_prebuilt curl http http_proxy="$(proxy allow)" -- url="$(url '/status/200?tag=env-direct')" proxy=direct
  assert_success
  assert_equal "$(line)" "HTTP GET http://127.0.0.1:HTTP/status/200?tag=env-direct (no proxy) -> 200 in N ms"
  assert_equal "$(proxied allow tag=env-direct)" 0
}

# ---- EGRESS --------------------------------------------------------------------------------------

@test "EGRESS/curl: no proxy: the direct connection works, or fails with a hint" {
  run_prebuilt curl egress url="$(url /status/403)"
  assert_success
  assert_equal "$(line)" "EGRESS http://127.0.0.1:HTTP/status/403: no proxy configured; the direct connection works (403 in N ms)"
  assert_recorded_status ""
  run_prebuilt curl egress url="http://127.0.0.1:$BLACKHOLE_PORT/" timeout=1
  assert_failure 1
  assert_equal "$(line)" "EGRESS http://127.0.0.1:BLACKHOLE/: no proxy configured; the direct connection to 127.0.0.1:BLACKHOLE fails: timeout after 1s"
  assert_regex "${lines[1]}" '^hint: egress may be blocked'
}

@test "EGRESS/curl: through the environment's proxy, by CONNECT: reaches, denied, needs credentials" {
  run_prebuilt curl egress https_proxy="$(proxy allow)" -- url="$(tls_url '/status/200?tag=eg-allow')" insecure=1
  assert_success
  assert_equal "$(line)" "EGRESS https://127.0.0.1:HTTPS/status/200?tag=eg-allow: the proxy http://127.0.0.1:ALLOW (from https_proxy) reaches 127.0.0.1:HTTPS (200 in N ms)"
  run_prebuilt curl egress https_proxy="$(proxy deny)" -- url="$(tls_url /status/200)" insecure=1
  assert_failure 1
  assert_equal "$(line)" "EGRESS https://127.0.0.1:HTTPS/status/200: the proxy http://127.0.0.1:DENY (from https_proxy) denies CONNECT to 127.0.0.1:HTTPS (403)"
  run_prebuilt curl egress HTTPS_PROXY="$(proxy auth)" -- url="$(tls_url /status/200)" insecure=1
  assert_failure 1
  assert_equal "$(line)" "EGRESS https://127.0.0.1:HTTPS/status/200: the proxy http://127.0.0.1:AUTH (from HTTPS_PROXY) requires authentication (answered CONNECT with 407)"
  assert_equal "${lines[1]}" "detail: the proxy URL carries no credentials (http://user:password@host:port)"
  assert_equal "${lines[2]}" "note: only HTTPS_PROXY is set: GNU and busybox wget read only the lowercase https_proxy"
  run_prebuilt curl egress https_proxy="http://proxyuser:wrong@127.0.0.1:$AUTH_PORT" -- url="$(tls_url /status/200)" insecure=1
  assert_failure 1
  assert_equal "${lines[1]}" "detail: the proxy rejected the credentials in its URL"
  run_prebuilt curl egress https_proxy="http://proxyuser:pr0xy-s3cret@127.0.0.1:$AUTH_PORT" -- url="$(tls_url /status/200)" insecure=1
  assert_success
  assert_equal "$(line)" "EGRESS https://127.0.0.1:HTTPS/status/200: the proxy http://proxyuser:***@127.0.0.1:AUTH (from https_proxy) reaches 127.0.0.1:HTTPS (200 in N ms)"
  refute_output --partial s3cret
}

@test "EGRESS/curl: the proxy refuses TCP, cannot reach the target, or its TLS is not trusted" {
  run_prebuilt curl egress url="$(tls_url /status/200)" proxy="http://127.0.0.1:$CLOSED_PORT" insecure=1
  assert_failure 1
  assert_equal "$(line)" "EGRESS https://127.0.0.1:HTTPS/status/200: the proxy http://127.0.0.1:CLOSED (the proxy parameter) refuses TCP connections: connect: connection refused"
  run_prebuilt curl egress url="https://127.0.0.1:$CLOSED_PORT/" proxy="$(proxy allow)"
  assert_failure 1
  assert_equal "$(line)" "EGRESS https://127.0.0.1:CLOSED/: the proxy http://127.0.0.1:ALLOW (the proxy parameter) cannot reach 127.0.0.1:CLOSED (answered CONNECT with 502)"
  run_prebuilt curl egress url="$(tls_url /status/200)" proxy="$(proxy allow)"
  assert_failure 1
  assert_regex "$(line)" "^EGRESS https://127\.0\.0\.1:HTTPS/status/200: the proxy http://127\.0\.0\.1:ALLOW \(the proxy parameter\) opens the way to 127\.0\.0\.1:HTTPS, but TLS fails: .*self-signed"
  assert_equal "${lines[1]}" "hint: a TLS-inspecting proxy presents its own certificate: its CA must be trusted here"
  run_prebuilt curl egress url="$(tls_url /status/200)" proxy="http://127.0.0.1:$BLACKHOLE_PORT" timeout=1
  assert_failure 1
  assert_equal "$(line)" "EGRESS https://127.0.0.1:HTTPS/status/200: no answer through the proxy http://127.0.0.1:BLACKHOLE (the proxy parameter) within 1s: the proxy, or the target behind it, does not answer"
  assert_elapsed_below 3000
}

@test "EGRESS/curl: no_proxy excludes the host: direct; a forward proxy's 403" {
  run_prebuilt curl egress https_proxy="$(proxy deny)" NO_PROXY=.example.com,127.0.0.1 -- url="$(tls_url /status/200)" insecure=1
  assert_success
  assert_equal "$(line)" 'EGRESS https://127.0.0.1:HTTPS/status/200: no_proxy entry "127.0.0.1" excludes 127.0.0.1, so it goes direct (past https_proxy); the direct connection works (200 in N ms)'
  run_prebuilt curl egress http_proxy="$(proxy deny)" -- url="$(url /status/200)"
  assert_failure 1
  assert_equal "$(line)" "EGRESS http://127.0.0.1:HTTP/status/200: the proxy http://127.0.0.1:DENY (from http_proxy), or 127.0.0.1 behind it, denies the request (403)"
  run_prebuilt curl egress http_proxy="$(proxy allow)" -- url="$(url /status/200)" proxy=direct
  assert_success
  assert_equal "$(line)" "EGRESS http://127.0.0.1:HTTP/status/200: no proxy (direct, by the proxy parameter); the direct connection works (200 in N ms)"
}

@test "EGRESS/wget: CONNECT reaches, is denied, needs credentials; a dead proxy" {
  run_prebuilt wget egress https_proxy="$(proxy allow)" -- url="$(tls_url /status/200)" insecure=1
  assert_success
  assert_equal "$(line)" "EGRESS https://127.0.0.1:HTTPS/status/200: the proxy http://127.0.0.1:ALLOW (from https_proxy) reaches 127.0.0.1:HTTPS (200 in N ms)"
  run_prebuilt wget egress https_proxy="$(proxy deny)" -- url="$(tls_url /status/200)" insecure=1
  assert_failure 1
  assert_equal "$(line)" "EGRESS https://127.0.0.1:HTTPS/status/200: the proxy http://127.0.0.1:DENY (from https_proxy) denies CONNECT to 127.0.0.1:HTTPS (403)"
  run_prebuilt wget egress https_proxy="$(proxy auth)" -- url="$(tls_url /status/200)" insecure=1
  assert_failure 1
  assert_equal "$(line)" "EGRESS https://127.0.0.1:HTTPS/status/200: the proxy http://127.0.0.1:AUTH (from https_proxy) requires authentication (answered CONNECT with 407)"
  run_prebuilt wget egress url="$(tls_url /status/200)" proxy="http://127.0.0.1:$CLOSED_PORT" insecure=1
  assert_failure 1
  assert_equal "$(line)" "EGRESS https://127.0.0.1:HTTPS/status/200: the proxy http://127.0.0.1:CLOSED (the proxy parameter) refuses TCP connections: connect: connection refused"
}

@test "EGRESS/busybox: a forward proxy for http://; https:// through a proxy is skipped" {
  run_prebuilt busybox egress http_proxy="$(proxy allow)" -- url="$(url '/status/200?tag=eg-bb')"
  assert_success
  assert_equal "$(line)" "EGRESS http://127.0.0.1:HTTP/status/200?tag=eg-bb: the proxy http://127.0.0.1:ALLOW (from http_proxy) reaches 127.0.0.1:HTTP (200 in N ms)"
  assert_equal "$(proxied allow tag=eg-bb)" 1
  run_prebuilt busybox egress http_proxy="$(proxy auth)" -- url="$(url /status/200)"
  assert_failure 1
  assert_equal "$(line)" "EGRESS http://127.0.0.1:HTTP/status/200: the proxy http://127.0.0.1:AUTH (from http_proxy) requires authentication (answered 407)"
  run_prebuilt busybox egress url="$(url /status/200)" proxy="http://127.0.0.1:$CLOSED_PORT"
  assert_failure 1
  assert_equal "$(line)" "EGRESS http://127.0.0.1:HTTP/status/200: the proxy http://127.0.0.1:CLOSED (the proxy parameter) refuses TCP connections: connect: connection refused"
  run_prebuilt busybox egress https_proxy="$(proxy allow)" -- url="$(tls_url /status/200)"
  assert_success
  assert_output "skipped: busybox wget does not use a proxy for https:// URLs, and there is no curl or GNU wget here"
  run_prebuilt busybox egress url="$(tls_url /status/200)"
  assert_success
  assert_equal "$(line)" "EGRESS https://127.0.0.1:HTTPS/status/200: no proxy configured; the direct connection works (200 in N ms)"
}

# ---- CLOCK-SKEW ----------------------------------------------------------------------------------

@test "CLOCK-SKEW: HTTP dates in all three forms, to epoch seconds, in awk" {
  FILES=clock-skew.sh run_code none '
    for d in "Sun, 06 Nov 1994 08:49:37 GMT" "Sunday, 06-Nov-94 08:49:37 GMT" "Sun Nov  6 08:49:37 1994" \
             "Thu, 01 Jan 1970 00:00:00 GMT" "Tue, 29 Feb 2000 23:59:59 GMT" "Sat, 01 Mar 2036 12:00:00 GMT" \
             "Wed, 25 Nov 2026 08:12:59 GMT" "yesterday" "Sun, 06 Foo 1994 08:49:37 GMT"; do
      printf "< Date: %s\r\n" "$d" | _hyp_prebuilt_clock_skew_compute 0 0 5000 >"$HYP_PLUGIN_DIR/o"
      awk "NR == 1 { s = \$0 } NR == 2 { e = \$0 } END { print s, -e }" "$HYP_PLUGIN_DIR/o"
    done
    printf "< Server: x\n" | _hyp_prebuilt_clock_skew_compute 0 0 5000'
  assert_success
  assert_output "ok 784111777
ok 784111777
ok 784111777
ok 0
ok 951868799
ok 2087985600
ok 1795594379
baddate 0
baddate 0
nodate"
}

@test "CLOCK-SKEW/curl: in step passes; 600 s either way fails, with the AWS note" {
  run_prebuilt curl clock-skew url="$(url /date/0)"
  assert_success
  assert_regex "$(line)" '^CLOCK-SKEW: local clock is (in step with|1 s (ahead of|behind)) http://127\.0\.0\.1:HTTP/date/0 \((-?[01] s, )?limit 5s, \+/- 1\.[0-9] s\)$'
  assert_regex "${lines[1]}" '^server Date: [A-Z][a-z][a-z], [0-9][0-9] [A-Z][a-z][a-z] 20[0-9][0-9] [0-9:]{8} GMT$'
  assert_regex "${lines[2]}" '^local clock: 20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9:]{8} UTC \(read just before the request; it took [0-9]+ ms\)$'
  assert_equal "${#lines[@]}" 3
  run_prebuilt curl clock-skew url="$(url /date/600)"
  assert_failure 1
  assert_regex "$(line)" '^CLOCK-SKEW: local clock is (599|600|601) s behind http://127\.0\.0\.1:HTTP/date/600 \(limit 5s, \+/- 1\.[0-9] s\)$'
  assert_equal "${lines[3]}" "note: AWS SigV4 rejects requests signed more than 5 minutes off (RequestTimeTooSkewed): AWS calls from here fail until the clock is fixed"
  run_prebuilt curl clock-skew url="$(url /date/-600)" max_skew=900
  assert_success
  assert_regex "$(line)" '^CLOCK-SKEW: local clock is (599|600|601) s ahead of http://127\.0\.0\.1:HTTP/date/-600 \(limit 900s, \+/- 1\.[0-9] s\)$'
  run_prebuilt curl clock-skew url="$(url /date/-30)" max_skew=0.5
  assert_failure 1
  assert_regex "$(line)" '^CLOCK-SKEW: local clock is (29|30|31) s ahead of .* \(limit 500ms, '
  assert_equal "${#lines[@]}" 3
}

@test "CLOCK-SKEW/wget, busybox: skews both ways, and through https" {
  local bin
  for bin in wget busybox; do
    run_prebuilt "$bin" clock-skew url="$(url /date/-120)"
    assert_failure 1
    assert_regex "$(line)" '^CLOCK-SKEW: local clock is (119|120|121) s ahead of '
    run_prebuilt "$bin" clock-skew url="$(url /date/3)" max_skew=10
    assert_success
    assert_regex "$(line)" '^CLOCK-SKEW: local clock is [2-4] s behind '
    run_prebuilt "$bin" clock-skew url="$(tls_url /date/400)" insecure=1
    assert_failure 1
    assert_regex "$(line)" '^CLOCK-SKEW: local clock is (399|400|401) s behind https://'
  done
}

@test "CLOCK-SKEW: no Date header, or no answer: cannot tell, a failure" {
  local bin
  for bin in curl busybox; do
    run_prebuilt "$bin" clock-skew url="$(url /nodate)"
    assert_failure 1
    assert_equal "$(line)" "CLOCK-SKEW http://127.0.0.1:HTTP/nodate: cannot tell: the answer (200) has no Date header"
    run_prebuilt "$bin" clock-skew url="http://127.0.0.1:$CLOSED_PORT/"
    assert_failure 1
    assert_equal "$(line)" "CLOCK-SKEW http://127.0.0.1:CLOSED/: cannot tell: connect: connection refused"
  done
  run_prebuilt curl clock-skew url="$(tls_url /date/0)"
  assert_failure 1
  assert_regex "$(line)" '^CLOCK-SKEW https://127\.0\.0\.1:HTTPS/date/0: cannot tell: TLS: '
  run_prebuilt curl clock-skew url="$(url /date/0)" max_skew=soon
  assert_failure 2
  assert_output 'CLOCK-SKEW http://127.0.0.1:'"$HTTP_PORT"'/date/0: max_skew "soon" is not a number of seconds'
  run_prebuilt none clock-skew url="$(url /date/0)"
  assert_success
  assert_output "skipped: no HTTP client here (looked for curl, wget and busybox wget)"
}
