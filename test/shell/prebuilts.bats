#!/usr/bin/env bats
# The HTTP and TCP prebuilts (stdlib/http.sh, stdlib/tcp.sh) and their helper stdlib/lib/net.sh,
# against real loopback peers, through each tool they can use. Run under one shell:
#   HYP_SH="busybox sh" node_modules/bats/bin/bats test/shell/prebuilts.bats
# or under all eight: sh test/shell/run-prebuilts-matrix.sh

load ../support/prebuilt-helpers

setup_file() {
  hyp_shell_argv
  export HYP_BINS=$BATS_FILE_TMPDIR/bin
  # Tool folders: PATH is exactly one of these while a prebuilt runs.
  hyp_bin_dir curl curl
  hyp_bin_dir wget wget
  hyp_bin_dir bash bash
  hyp_bin_dir none
  hyp_busybox_dir busybox                    # a busybox-only image: wget and nc are applets
  hyp_busybox_dir busybox-openssl openssl    # ... where busybox wget verifies TLS via openssl
  hyp_bin_dir busybox-cmd busybox            # only the busybox binary: `busybox wget`, `busybox nc`

  hyp_start_http http
  if type -P openssl >/dev/null; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
      -addext subjectAltName=IP:127.0.0.1 \
      -keyout "$BATS_FILE_TMPDIR/key.pem" -out "$BATS_FILE_TMPDIR/cert.pem" 2>/dev/null
    hyp_start_http https --tls "$BATS_FILE_TMPDIR/cert.pem" "$BATS_FILE_TMPDIR/key.pem"
  fi
  hyp_start_tcp open open
  hyp_start_tcp closed closed
  hyp_start_tcp blackhole blackhole
}

teardown_file() {
  hyp_stop "${HTTP_PID-}" "${HTTPS_PID-}" "${OPEN_PID-}" "${BLACKHOLE_PID-}"
}

setup() {
  hyp_shell_argv
  # Not exported: only the scripts under test get it (run_prebuilt passes it to them alone).
  HYP_TEST_MARK="prebuilts-$$-$BATS_TEST_NUMBER-$RANDOM"
}

teardown() {
  assert_no_leftovers
}

url() { printf 'http://127.0.0.1:%s%s' "$HTTP_PORT" "$1"; }
tls_url() { printf 'https://127.0.0.1:%s%s' "$HTTPS_PORT" "$1"; }
need_tls() { [[ -n ${HTTPS_PORT-} ]] || skip "openssl is not installed: no certificate for the TLS peer"; }
served() { grep -c -x -F "$1" "$BATS_FILE_TMPDIR/http.port.log" || true; }

# The summary line, with the port and the milliseconds made predictable.
first_line() { printf '%s\n' "${lines[0]}" | sed -E "s/:$HTTP_PORT\//:PORT\//; s/:${HTTPS_PORT:-none}\//:PORT\//; s/ in [0-9]+ ms/ in N ms/"; }

# ---- lib/net helpers, pure shell ----------------------------------------------------------------

# run_net BIN CODE: runs CODE under $HYP_SH after plugin-api.sh and lib/net.sh.
run_net() {
  local script=$BATS_TEST_TMPDIR/net.sh
  PLUGIN_DIR=$BATS_TEST_TMPDIR/plugin
  mkdir -p "$PLUGIN_DIR"
  {
    printf 'HYP_PLUGIN_DIR=%s\n' "$(hyp_quote "$PLUGIN_DIR")"
    cat "$HYP_ROOT/runtime/plugin-api.sh" "$HYP_ROOT/runtime/clock.sh" "$HYP_ROOT/stdlib/lib/net.sh"
    printf '%s\n' "$2"
  } >"$script"
  hyp_run_script "$script" "$1"
}

@test "stdlib: prebuilts and helpers are ASCII (yash in the C locale reads nothing else)" {
  run env LC_ALL=C grep -n '[^[:print:][:space:]]' "$HYP_ROOT"/stdlib/*.sh "$HYP_ROOT"/stdlib/lib/*.sh
  assert_failure 1
  assert_output ""
}

@test "lib/net: hyp_net_status_accepted reads classes, codes, ranges and lists" {
  run_net none '
    for c in "200 2xx" "299 2xx" "300 2xx" "204 204" "200 204" "404 200-299" "250 200-299" \
             "503 404,500-599" "302 2xx, 3xx" "200 2XX" "200 abc" "200 2xx,,oops" "200 600" "200 ,"; do
      set -- $c
      code=$1; shift
      rc=0; hyp_net_status_accepted "$code" "$*" || rc=$?
      printf "%s %s => %s\n" "$code" "$*" "$rc"
    done'
  assert_success
  assert_output "200 2xx => 0
299 2xx => 0
300 2xx => 1
204 204 => 0
200 204 => 1
404 200-299 => 1
250 200-299 => 0
503 404,500-599 => 0
302 2xx, 3xx => 0
200 2XX => 0
200 abc => 2
200 2xx,,oops => 2
200 600 => 2
200 , => 2"
}

@test "lib/net: hyp_net_ceil_secs rounds decimal seconds up to whole ones" {
  run_net none '
    for v in 5 0.5 2.0 2.01 007 0 1.000 1.5.2 abc ""; do
      if hyp_net_ceil_secs "$v"; then printf "%s => %s\n" "$v" "$hyp_net_secs"; else printf "%s => bad\n" "$v"; fi
    done'
  assert_success
  assert_output "5 => 5
0.5 => 1
2.0 => 2
2.01 => 3
007 => 7
0 => 1
1.000 => 1
1.5.2 => bad
abc => bad
 => bad"
}

@test "lib/net: hyp_net_url_parse splits URLs and hides passwords" {
  run_net none '
    for u in "http://127.0.0.1:8080/healthz?x=1#top" "HTTPS://example.com" "https://user:s3cret@db.local/x" \
             "http://[::1]:9000/p" "http://[fe80::1]" "http://host:/x" "ftp://host/" "http:///x" "http://a:b:c/"; do
      if hyp_net_url_parse "$u"; then
        printf "%s | %s %s %s %s | %s\n" "$u" "$hyp_net_scheme" "$hyp_net_host" "$hyp_net_port" "$hyp_net_path" "$hyp_net_url_shown"
      else
        printf "%s | bad\n" "$u"
      fi
    done'
  assert_success
  assert_output "http://127.0.0.1:8080/healthz?x=1#top | http 127.0.0.1 8080 /healthz?x=1 | http://127.0.0.1:8080/healthz?x=1#top
HTTPS://example.com | https example.com 443 / | HTTPS://example.com
https://user:s3cret@db.local/x | https db.local 443 /x | https://user:***@db.local/x
http://[::1]:9000/p | http ::1 9000 /p | http://[::1]:9000/p
http://[fe80::1] | http fe80::1 80 / | http://[fe80::1]
http://host:/x | bad
ftp://host/ | bad
http:///x | bad
http://a:b:c/ | bad"
}

@test "lib/net: hyp_net_run kills a command at its deadline and leaves nothing behind" {
  run_net none '
    hyp_net_run 1 "$HYP_PLUGIN_DIR/o" "$HYP_PLUGIN_DIR/e" sleep 30
    printf "slow: timed_out=%s killed=%s\n" "$hyp_net_timed_out" "$(( hyp_net_rc > 128 ))"
    hyp_net_run 5 "$HYP_PLUGIN_DIR/o" "$HYP_PLUGIN_DIR/e" awk "BEGIN { print \"out\"; print \"err\" > \"/dev/stderr\"; exit 3 }"
    read o <"$HYP_PLUGIN_DIR/o"; read e <"$HYP_PLUGIN_DIR/e"
    printf "fast: timed_out=%s rc=%s out=%s err=%s\n" "$hyp_net_timed_out" "$hyp_net_rc" "$o" "$e"'
  assert_success
  assert_output "slow: timed_out=1 killed=1
fast: timed_out= rc=3 out=out err=err"
  # The 30 s sleep was killed at 1 s, and the 5 s timer as soon as awk ended.
  assert_elapsed_below 3000
}

# ---- HTTP through curl ---------------------------------------------------------------------------

@test "HTTP/curl: an accepted status passes and is recorded" {
  run_prebuilt curl http url="$(url /status/200)"
  assert_success
  assert_equal "$(first_line)" "HTTP GET http://127.0.0.1:PORT/status/200 -> 200 in N ms"
  assert_recorded_status 200
}

@test "HTTP/curl: a 503 fails, and is still recorded" {
  run_prebuilt curl http url="$(url /status/503)"
  assert_failure 1
  assert_equal "$(first_line)" "HTTP GET http://127.0.0.1:PORT/status/503 -> 503 (expected 2xx) in N ms"
  assert_recorded_status 503
}

@test "HTTP/curl: a redirect is the answer, not followed" {
  run_prebuilt curl http url="$(url '/redirect?tag=curl-redirect')" status=3xx
  assert_success
  assert_equal "$(first_line)" "HTTP GET http://127.0.0.1:PORT/redirect?tag=curl-redirect -> 302 in N ms"
  assert_recorded_status 302
  assert_equal "$(served 'GET /status/200?tag=curl-redirect')" 0
}

@test "HTTP/curl: status lists and ranges" {
  run_prebuilt curl http url="$(url /status/503)" status="404, 500-599"
  assert_success
  assert_recorded_status 503
}

@test "HTTP/curl: HEAD, PUT and DELETE reach the server as such" {
  local m
  for m in HEAD PUT DELETE; do
    run_prebuilt curl http url="$(url "/method/$m")" method="$m"
    assert_success
    assert_equal "$(first_line)" "HTTP $m http://127.0.0.1:PORT/method/$m -> 200 in N ms"
  done
}

@test "HTTP/curl: a slow answer times out at the deadline" {
  run_prebuilt curl http url="$(url /slow/5)" timeout=1
  assert_failure 1
  assert_equal "$(first_line)" "HTTP GET http://127.0.0.1:PORT/slow/5 -> timeout after 1s"
  assert_recorded_status ""
  assert_elapsed_below 3000
}

@test "HTTP/curl, wget, busybox: a status then a stalled body is recorded, and fails" {
  local bin
  for bin in curl wget busybox; do
    run_prebuilt "$bin" http url="$(url /stall/5)" timeout=1
    assert_failure 1
    assert_equal "$(first_line)" "HTTP GET http://127.0.0.1:PORT/stall/5 -> 200, then timeout after 1s"
    assert_recorded_status 200
    assert_elapsed_below 3000
  done
}

@test "HTTP/curl: a decimal timeout is honoured" {
  run_prebuilt curl http url="$(url /slow/3)" timeout=0.5
  assert_failure 1
  assert_equal "$(first_line)" "HTTP GET http://127.0.0.1:PORT/slow/3 -> timeout after 0.5s"
  assert_elapsed_below 2000
}

@test "HTTP/curl: a closed port is refused" {
  run_prebuilt curl http url="http://127.0.0.1:$CLOSED_PORT/"
  assert_failure 1
  assert_output "HTTP GET http://127.0.0.1:$CLOSED_PORT/ -> connect: connection refused"
}

@test "HTTP/curl: an unknown host fails at DNS" {
  run_prebuilt curl http url="http://nonexistent.invalid/healthz"
  assert_failure 1
  assert_output "HTTP GET http://nonexistent.invalid/healthz -> DNS: could not resolve host"
}

@test "HTTP/curl: a self-signed certificate fails at TLS, and passes with insecure" {
  need_tls
  run_prebuilt curl http url="$(tls_url /status/200)"
  assert_failure 1
  assert_output --regexp '^HTTP GET https://127\.0\.0\.1:[0-9]+/status/200 -> TLS: .*self-signed'
  run_prebuilt curl http url="$(tls_url /status/200)" insecure=1
  assert_success
  assert_equal "$(first_line)" "HTTP GET https://127.0.0.1:PORT/status/200 -> 200 in N ms"
}

@test "HTTP/curl: a password in the URL is not printed" {
  run_prebuilt curl http url="http://me:s3cret@127.0.0.1:$HTTP_PORT/status/200"
  assert_success
  assert_equal "$(first_line)" "HTTP GET http://me:***@127.0.0.1:PORT/status/200 -> 200 in N ms"
  refute_output --partial s3cret
}

# ---- HTTP through GNU wget -----------------------------------------------------------------------

@test "HTTP/wget: an accepted status passes and is recorded" {
  run_prebuilt wget http url="$(url /status/204)"
  assert_success
  assert_equal "$(first_line)" "HTTP GET http://127.0.0.1:PORT/status/204 -> 204 in N ms"
  assert_recorded_status 204
}

@test "HTTP/wget: a 503 fails, and is still recorded" {
  run_prebuilt wget http url="$(url /status/503)"
  assert_failure 1
  assert_equal "$(first_line)" "HTTP GET http://127.0.0.1:PORT/status/503 -> 503 (expected 2xx) in N ms"
  assert_recorded_status 503
}

@test "HTTP/wget: a redirect is the answer, not followed" {
  run_prebuilt wget http url="$(url '/redirect?tag=wget-redirect')"
  assert_failure 1
  assert_equal "$(first_line)" "HTTP GET http://127.0.0.1:PORT/redirect?tag=wget-redirect -> 302 (expected 2xx) in N ms"
  assert_recorded_status 302
  assert_equal "$(served 'GET /status/200?tag=wget-redirect')" 0
}

@test "HTTP/wget: HEAD and PATCH reach the server as such" {
  local m
  for m in HEAD PATCH; do
    run_prebuilt wget http url="$(url "/method/$m")" method="$m"
    assert_success
    assert_equal "$(first_line)" "HTTP $m http://127.0.0.1:PORT/method/$m -> 200 in N ms"
  done
}

@test "HTTP/wget: a slow answer times out at the deadline" {
  run_prebuilt wget http url="$(url /slow/5)" timeout=1
  assert_failure 1
  assert_equal "$(first_line)" "HTTP GET http://127.0.0.1:PORT/slow/5 -> timeout after 1s"
  assert_recorded_status ""
  assert_elapsed_below 3000
}

@test "HTTP/wget: a closed port is refused" {
  run_prebuilt wget http url="http://127.0.0.1:$CLOSED_PORT/"
  assert_failure 1
  assert_output "HTTP GET http://127.0.0.1:$CLOSED_PORT/ -> connect: connection refused"
}

@test "HTTP/wget: an unknown host fails at DNS" {
  run_prebuilt wget http url="http://nonexistent.invalid/healthz"
  assert_failure 1
  assert_output "HTTP GET http://nonexistent.invalid/healthz -> DNS: could not resolve host"
}

@test "HTTP/wget: a self-signed certificate fails at TLS, and passes with insecure" {
  need_tls
  run_prebuilt wget http url="$(tls_url /status/200)"
  assert_failure 1
  assert_output --regexp '^HTTP GET https://127\.0\.0\.1:[0-9]+/status/200 -> TLS: .*not trusted'
  run_prebuilt wget http url="$(tls_url /status/200)" insecure=1
  assert_success
  assert_equal "$(first_line)" "HTTP GET https://127.0.0.1:PORT/status/200 -> 200 in N ms"
}

# ---- HTTP through busybox wget -------------------------------------------------------------------

@test "HTTP/busybox: an accepted status passes and is recorded" {
  run_prebuilt busybox http url="$(url /status/200)"
  assert_success
  assert_equal "$(first_line)" "HTTP GET http://127.0.0.1:PORT/status/200 -> 200 in N ms"
  assert_recorded_status 200
}

@test "HTTP/busybox: a 503 (busybox wget exits 1) is read from its -S output" {
  run_prebuilt busybox http url="$(url /status/503)"
  assert_failure 1
  assert_equal "$(first_line)" "HTTP GET http://127.0.0.1:PORT/status/503 -> 503 (expected 2xx) in N ms"
  assert_recorded_status 503
}

@test "HTTP/busybox: a redirect answers 302 (busybox follows it, the first answer counts)" {
  run_prebuilt busybox http url="$(url '/redirect?tag=bb-redirect')"
  assert_failure 1
  assert_equal "$(first_line)" "HTTP GET http://127.0.0.1:PORT/redirect?tag=bb-redirect -> 302 (expected 2xx) in N ms"
  assert_recorded_status 302
}

@test "HTTP/busybox: POST is sent as POST" {
  run_prebuilt busybox http url="$(url /method/POST)" method=POST
  assert_success
  assert_equal "$(first_line)" "HTTP POST http://127.0.0.1:PORT/method/POST -> 200 in N ms"
}

@test "HTTP/busybox: HEAD cannot be sent: skipped, with the reason" {
  run_prebuilt busybox http url="$(url /method/HEAD)" method=HEAD
  assert_success
  assert_output "skipped: busybox wget cannot send HEAD requests, and there is no curl or GNU wget here"
  [[ -f $PLUGIN_DIR/skipped ]]
  assert_recorded_status ""
}

@test "HTTP/busybox: a slow answer times out at the deadline (busybox wget has no -T here)" {
  run_prebuilt busybox http url="$(url /slow/5)" timeout=1
  assert_failure 1
  assert_equal "$(first_line)" "HTTP GET http://127.0.0.1:PORT/slow/5 -> timeout after 1s"
  assert_recorded_status ""
  assert_elapsed_below 3000
}

@test "HTTP/busybox: a closed port is refused" {
  run_prebuilt busybox http url="http://127.0.0.1:$CLOSED_PORT/"
  assert_failure 1
  assert_output "HTTP GET http://127.0.0.1:$CLOSED_PORT/ -> connect: connection refused"
}

@test "HTTP/busybox: an unknown host fails at DNS" {
  run_prebuilt busybox http url="http://nonexistent.invalid/healthz"
  assert_failure 1
  assert_output "HTTP GET http://nonexistent.invalid/healthz -> DNS: could not resolve host"
}

@test "HTTP/busybox: built-in TLS gets an answer but says it verified nothing" {
  need_tls
  run_prebuilt busybox http url="$(tls_url /status/200)"
  assert_success
  assert_equal "$(first_line)" "HTTP GET https://127.0.0.1:PORT/status/200 -> 200 in N ms"
  assert_line --index 1 "note: the TLS certificate was not verified (busybox wget without openssl cannot)"
  run_prebuilt busybox http url="$(tls_url /status/200)" insecure=1
  assert_success
  assert_equal "${#lines[@]}" 1
}

@test "HTTP/busybox: with openssl on PATH a self-signed certificate fails at TLS" {
  need_tls
  run_prebuilt busybox-openssl http url="$(tls_url /status/200)"
  assert_failure 1
  assert_output --regexp '^HTTP GET https://127\.0\.0\.1:[0-9]+/status/200 -> TLS: the handshake failed'
  run_prebuilt busybox-openssl http url="$(tls_url /status/200)" insecure=1
  assert_success
  assert_recorded_status 200
}

@test "HTTP/busybox: called as \`busybox wget\` when there is no wget" {
  run_prebuilt busybox-cmd http url="$(url /status/503)" status=5xx
  assert_success
  assert_equal "$(first_line)" "HTTP GET http://127.0.0.1:PORT/status/503 -> 503 in N ms"
  assert_recorded_status 503
}

# ---- HTTP: no tool, bad parameters ---------------------------------------------------------------

@test "HTTP: no HTTP tool at all is skipped, with the reason" {
  run_prebuilt none http url="$(url /status/200)"
  assert_success
  assert_output "skipped: no HTTP client here (looked for curl, wget and busybox wget)"
  [[ -f $PLUGIN_DIR/skipped ]]
  assert_recorded_status ""
}

@test "HTTP: parameters it cannot use exit 2 with a reason" {
  run_prebuilt curl http url="ftp://127.0.0.1/"
  assert_failure 2
  assert_output 'HTTP GET "ftp://127.0.0.1/": not an http:// or https:// URL'
  run_prebuilt curl http url="$(url /status/200)" status=ok
  assert_failure 2
  assert_output 'HTTP: status "ok" is not a list of classes (2xx), codes (204) or ranges (200-299)'
  run_prebuilt curl http url="$(url /status/200)" method=BREW
  assert_failure 2
  assert_output --partial 'method "BREW" is not one of'
}

# ---- TCP -----------------------------------------------------------------------------------------

@test "TCP/busybox nc: an open port opens at once (the peer never hangs up)" {
  run_prebuilt busybox tcp port="$OPEN_PORT" timeout=3
  assert_success
  assert_output --regexp "^TCP 127\.0\.0\.1:$OPEN_PORT open in [0-9]+ ms\$"
  assert_elapsed_below 2000
}

@test "TCP/busybox nc: a closed port is refused" {
  run_prebuilt busybox tcp port="$CLOSED_PORT"
  assert_failure 1
  assert_output "TCP 127.0.0.1:$CLOSED_PORT refused"
}

@test "TCP/busybox nc: a port that never answers times out" {
  run_prebuilt busybox tcp port="$BLACKHOLE_PORT" timeout=1
  assert_failure 1
  assert_output "TCP 127.0.0.1:$BLACKHOLE_PORT timed out after 1s"
  assert_elapsed_below 3000
}

@test "TCP/busybox nc: an unknown host fails at DNS" {
  run_prebuilt busybox tcp host=nonexistent.invalid port=80
  assert_failure 1
  assert_output "TCP nonexistent.invalid:80 DNS: could not resolve host"
}

@test "TCP/busybox nc: called as \`busybox nc\` when there is no nc" {
  run_prebuilt busybox-cmd tcp host=127.0.0.1 port="$OPEN_PORT"
  assert_success
  assert_output --regexp "^TCP 127\.0\.0\.1:$OPEN_PORT open in [0-9]+ ms\$"
}

@test "TCP/nc -z: open, refused, timed out and unknown host (an nc that is not busybox)" {
  # OpenBSD nc, traditional netcat or ncat, when the machine has one; HYP_TEST_NC names one.
  local nc=${HYP_TEST_NC-} candidate
  if [[ -z $nc ]]; then
    for candidate in nc.openbsd nc.traditional ncat nc; do
      candidate=$(type -P "$candidate") || continue
      [[ $(readlink -f "$candidate") == */busybox ]] && continue
      nc=$candidate
      break
    done
  fi
  [[ -n $nc ]] || skip "no nc other than busybox's here (set HYP_TEST_NC to one)"
  hyp_bin_dir nc-z
  ln -sf "$nc" "$HYP_BINS/nc-z/nc"
  run_prebuilt nc-z tcp port="$OPEN_PORT"
  assert_success
  assert_output --regexp "^TCP 127\.0\.0\.1:$OPEN_PORT open in [0-9]+ ms\$"
  assert_elapsed_below 2000
  run_prebuilt nc-z tcp port="$CLOSED_PORT"
  assert_failure 1
  assert_output "TCP 127.0.0.1:$CLOSED_PORT refused"
  run_prebuilt nc-z tcp port="$BLACKHOLE_PORT" timeout=1
  assert_failure 1
  assert_output "TCP 127.0.0.1:$BLACKHOLE_PORT timed out after 1s"
  assert_elapsed_below 3000
  run_prebuilt nc-z tcp host=nonexistent.invalid port=80
  assert_failure 1
  assert_output "TCP nonexistent.invalid:80 DNS: could not resolve host"
}

@test "TCP/bash: open, refused, timed out and unknown host" {
  run_prebuilt bash tcp port="$OPEN_PORT"
  assert_success
  assert_output --regexp "^TCP 127\.0\.0\.1:$OPEN_PORT open in [0-9]+ ms\$"
  assert_elapsed_below 2000
  run_prebuilt bash tcp port="$CLOSED_PORT"
  assert_failure 1
  assert_output "TCP 127.0.0.1:$CLOSED_PORT refused"
  run_prebuilt bash tcp port="$BLACKHOLE_PORT" timeout=1
  assert_failure 1
  assert_output "TCP 127.0.0.1:$BLACKHOLE_PORT timed out after 1s"
  assert_elapsed_below 3000
  run_prebuilt bash tcp host=nonexistent.invalid port=80
  assert_failure 1
  assert_output "TCP nonexistent.invalid:80 DNS: could not resolve host"
}

@test "TCP/curl: open (after the whole timeout), refused and timed out" {
  run_prebuilt curl tcp port="$OPEN_PORT" timeout=1
  assert_success
  assert_output --regexp "^TCP 127\.0\.0\.1:$OPEN_PORT open in [0-9]+ ms\$"
  assert_elapsed_below 3000
  run_prebuilt curl tcp port="$CLOSED_PORT"
  assert_failure 1
  assert_output "TCP 127.0.0.1:$CLOSED_PORT refused"
  run_prebuilt curl tcp port="$BLACKHOLE_PORT" timeout=1
  assert_failure 1
  assert_output "TCP 127.0.0.1:$BLACKHOLE_PORT timed out after 1s"
  assert_elapsed_below 3000
}

@test "TCP: no tool at all is skipped, with the reason" {
  run_prebuilt none tcp port="$OPEN_PORT"
  assert_success
  assert_output "skipped: no tool here can open a TCP connection (looked for nc, busybox nc, bash and curl)"
  [[ -f $PLUGIN_DIR/skipped ]]
}

@test "TCP: a bad port exits 2 with a reason" {
  run_prebuilt busybox tcp port=70000
  assert_failure 2
  assert_output "TCP 127.0.0.1:70000: the port must be a number from 1 to 65535"
}
