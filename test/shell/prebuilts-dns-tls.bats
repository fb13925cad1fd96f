#!/usr/bin/env bats
# The DNS, TLS-CERT and K8S-API prebuilts (stdlib/dns.sh, stdlib/tls-cert.sh, stdlib/k8s-api.sh)
# and their helper stdlib/lib/tls.sh, against real loopback peers the tests start: a UDP DNS
# server (test/support/dns-server.mjs), TLS servers serving certificates minted here with
# openssl (test/support/http-server.mjs --tls), and a fake Kubernetes API server
# (test/support/k8s-api-server.mjs). Run under one shell:
#   HYP_SH=dash node_modules/bats/bin/bats test/shell/prebuilts-dns-tls.bats

load ../support/prebuilt-helpers

setup_file() {
  hyp_shell_argv
  export HYP_BINS=$BATS_FILE_TMPDIR/bin
  export T=$BATS_FILE_TMPDIR
  # Tool folders: PATH is exactly one of these while a prebuilt runs.
  hyp_bin_dir getent getent
  hyp_bin_dir openssl openssl
  hyp_bin_dir curl curl                 # curl verifies TLS itself
  hyp_bin_dir curl-openssl curl openssl # ... and with openssl, K8S-API checks TLS first
  hyp_bin_dir wget wget openssl
  hyp_bin_dir none
  hyp_busybox_dir busybox
  ln -sf "$(type -P busybox)" "$HYP_BINS/busybox/nslookup"
  hyp_busybox_dir busybox-openssl openssl
  ln -sf "$(type -P busybox)" "$HYP_BINS/busybox-openssl/nslookup"
  hyp_bin_dir busybox-cmd busybox # only the busybox binary: `busybox nslookup`

  # ---- certificates: a CA, and leaves for a.example and 127.0.0.1 that it signed --------------
  # The leaf key is RSA: busybox wget's own TLS (K8S-API's busybox path) knows no ECDSA.
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256)
  openssl req -x509 "${ec[@]}" -nodes -days 30 -subj /CN=Test-CA -keyout "$T/ca.key" -out "$T/ca.pem" 2>/dev/null
  openssl req -x509 "${ec[@]}" -nodes -days 30 -subj /CN=Other-CA -keyout "$T/other-ca.key" -out "$T/other-ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj /CN=a.example -keyout "$T/leaf.key" -out "$T/leaf.csr" 2>/dev/null
  printf 'subjectAltName=DNS:a.example,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >"$T/leaf.ext"
  local name days
  for name in long:30 short:2 expired:-1; do
    days=${name#*:} name=${name%:*}
    openssl x509 -req -in "$T/leaf.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
      -days "$days" -extfile "$T/leaf.ext" -out "$T/$name.pem" 2>/dev/null
  done

  # ---- DNS: the table the loopback server answers from -------------------------------------
  cat >"$T/dns.table" <<'EOF'
www.example.test     A      10.1.2.3
www.example.test     A      10.1.2.4
www.example.test     AAAA   fd00::1
alias.example.test   CNAME  www.example.test
v4.example.test      A      10.9.9.9
nodata.example.test  TXT    nothing
broken.example.test  SERVFAIL
slow.example.test    DROP
EOF

  # ---- Kubernetes: service account tokens (JWTs) for the fake API server ---------------------
  local now
  now=$(date +%s)
  export TOKEN_VALID TOKEN_FORBID TOKEN_UNKNOWN TOKEN_EXPIRED
  TOKEN_VALID=$(jwt "system:serviceaccount:shop:checkout" $((now + 3600)))
  TOKEN_FORBID=$(jwt "system:serviceaccount:shop:locked" $((now + 7200)))
  TOKEN_UNKNOWN=$(jwt "system:serviceaccount:shop:gone" $((now + 3600)))
  TOKEN_EXPIRED=$(jwt "system:serviceaccount:shop:checkout" $((now - 630)))
  export TOKEN_OPAQUE=opaque-legacy-token-0123456789
  printf '%s allow system:serviceaccount:shop:checkout\n%s forbid system:serviceaccount:shop:locked\n%s allow system:serviceaccount:shop:checkout\n%s allow system:serviceaccount:shop:legacy\n' \
    "$TOKEN_VALID" "$TOKEN_FORBID" "$TOKEN_EXPIRED" "$TOKEN_OPAQUE" >"$T/tokens"
  local sa var
  for sa in valid forbid unknown expired opaque; do
    mkdir -p "$T/sa-$sa"
    var=TOKEN_${sa^^}
    printf '%s\n' "${!var}" >"$T/sa-$sa/token"
    printf 'shop' >"$T/sa-$sa/namespace"
    cp "$T/ca.pem" "$T/sa-$sa/ca.crt"
  done

  # ---- the peers, started together, then waited for -----------------------------------------
  local support=$HYP_ROOT/test/support
  launch tlslong "$support/http-server.mjs" --tls "$T/long.pem" "$T/leaf.key"
  launch tlsshort "$support/http-server.mjs" --tls "$T/short.pem" "$T/leaf.key"
  launch plain "$support/http-server.mjs"
  launch closed "$support/tcp-server.mjs" closed
  launch blackhole "$support/tcp-server.mjs" blackhole
  launch silent "$support/tcp-server.mjs" open
  launch dns "$support/dns-server.mjs" "$T/dns.table"
  launch k8s "$support/k8s-api-server.mjs" "$T/long.pem" "$T/leaf.key" "$T/tokens"
  for name in tlslong tlsshort plain closed blackhole silent dns k8s; do
    var=PID_${name}
    hyp_wait_port "$name" "${!var}"
  done
  # A UDP port with nobody on it: the kernel answers "port unreachable".
  export DEAD_UDP_PORT=$CLOSED_PORT
}

# launch NAME SCRIPT [ARG...]: starts a test/support peer writing its port to $T/NAME.port;
# sets PID_NAME (hyp_wait_port then exports NAME_PORT and NAME_PID).
launch() {
  local name=$1 script=$2
  shift 2
  rm -f "$T/$name.port"
  # 3>&-: bats waits for fd 3 to close; a server holding it would hang the run.
  node "$script" "$T/$name.port" "$@" >"$T/$name.out" 2>&1 3>&- &
  printf -v "PID_$name" '%s' "$!"
}

# jwt SUB EXP: an unsigned-looking service account JWT (the API server's signature is not ours
# to check; the fake knows its tokens by value).
jwt() {
  local b64url='base64 -w0 | tr "+/" "-_" | tr -d "="'
  printf '%s.%s.%s' \
    "$(printf '{"alg":"RS256","kid":"test"}' | eval "$b64url")" \
    "$(printf '{"aud":["https://kubernetes.default.svc"],"exp":%s,"iat":%s,"iss":"https://kubernetes.default.svc","sub":"%s"}' "$2" "$(($2 - 3600))" "$1" | eval "$b64url")" \
    "$(printf 'signature-%s' "$1" | eval "$b64url")"
}

teardown_file() {
  hyp_stop "${TLSLONG_PID-}" "${TLSSHORT_PID-}" "${PLAIN_PID-}" "${BLACKHOLE_PID-}" "${SILENT_PID-}" \
    "${DNS_PID-}" "${K8S_PID-}"
}

setup() {
  hyp_shell_argv
  HYP_TEST_MARK="prebuilts-dns-tls-$$-$BATS_TEST_NUMBER-$RANDOM"
}

teardown() {
  assert_no_leftovers
}

# The first line, with ports, milliseconds and dates made predictable.
first_line() {
  printf '%s\n' "${lines[0]}" | sed -E "s/127\.0\.0\.1:[0-9]+/127.0.0.1:PORT/g; s/ in [0-9]+ ms/ in N ms/; s/[0-9]{4}-[0-9]{2}-[0-9]{2}/DATE/g"
}

# ---- stdlib hygiene ------------------------------------------------------------------------------

@test "stdlib: dns, tls-cert, k8s-api and lib/tls are shellcheck -s sh clean and ASCII" {
  local files=("$HYP_ROOT/stdlib/dns.sh" "$HYP_ROOT/stdlib/tls-cert.sh" "$HYP_ROOT/stdlib/k8s-api.sh" "$HYP_ROOT/stdlib/lib/tls.sh" "$HYP_ROOT/stdlib/lib/time.sh")
  run shellcheck -s sh "${files[@]}"
  assert_success
  run env LC_ALL=C grep -n '[^[:print:][:space:]]' "${files[@]}"
  assert_failure 1
}

# ---- lib/tls: dates without mktime ---------------------------------------------------------------

@test "lib/tls: days-from-civil epochs match date -d for leap years, centuries and today" {
  local script=$BATS_TEST_TMPDIR/civil.sh
  PLUGIN_DIR=$BATS_TEST_TMPDIR/plugin
  mkdir -p "$PLUGIN_DIR"
  {
    printf 'HYP_PLUGIN_DIR=%s\n' "$(hyp_quote "$PLUGIN_DIR")"
    cat "$HYP_ROOT/runtime/plugin-api.sh" "$HYP_ROOT/runtime/clock.sh" "$HYP_ROOT/stdlib/lib/net.sh" "$HYP_ROOT/stdlib/lib/time.sh" "$HYP_ROOT/stdlib/lib/tls.sh"
    cat <<'SH'
printf '%s\n' '1970 01 01 00 00 00' '2000 02 29 12 34 56' '2038 01 19 03 14 08' '2100 03 01 00 00 00' '1999 12 31 23 59 59' |
  awk "$hyp_time_awk"'{ printf "%.0f\n", hyp_epoch($1, $2, $3, $4, $5, $6) }'
hyp_tls_now
printf 'now %s\n' "$hyp_tls_now"
SH
  } >"$script"
  hyp_run_script "$script" busybox
  assert_success
  local now
  now=$(date -u +%s)
  assert_equal "${lines[0]}" 0
  assert_equal "${lines[1]}" "$(date -u -d '2000-02-29 12:34:56' +%s)"
  assert_equal "${lines[2]}" 2147483648
  assert_equal "${lines[3]}" "$(date -u -d '2100-03-01' +%s)"
  assert_equal "${lines[4]}" "$(date -u -d '1999-12-31 23:59:59' +%s)"
  local got=${lines[5]#now }
  ((got >= now - 5 && got <= now + 5)) || fail "hyp_tls_now says $got, date says $now"
}

# ---- TLS-CERT ------------------------------------------------------------------------------------

@test "TLS-CERT: a certificate signed by the given CA, for the host, valid 29 more days passes" {
  run_prebuilt openssl tls-cert host=127.0.0.1 port="$TLSLONG_PORT" ca_file="$T/ca.pem"
  assert_success
  assert_equal "$(first_line)" "TLS-CERT 127.0.0.1:PORT: valid for 29 more days (until DATE, limit 14), chain verified, for 127.0.0.1"
  assert_line "name: 127.0.0.1 matches"
  assert_line "chain: verifies against $T/ca.pem"
  assert_line "subject: CN = a.example"
  assert_line "issuer: CN = Test-CA"
  assert_line "names: DNS:a.example, IP Address:127.0.0.1"
  assert_line --regexp '^valid: from [0-9-]{10} until [0-9-]{10}$'
}

@test "TLS-CERT: a certificate expiring within min_days fails with the days left; a lower limit passes" {
  run_prebuilt openssl tls-cert host=127.0.0.1 port="$TLSSHORT_PORT" ca_file="$T/ca.pem"
  assert_failure 1
  assert_equal "${lines[0]}" "TLS-CERT 127.0.0.1:$TLSSHORT_PORT: expires in 1 day ($(date -u -d '+2 days' +%F), limit 14)"
  run_prebuilt openssl tls-cert host=127.0.0.1 port="$TLSSHORT_PORT" ca_file="$T/ca.pem" min_days=1
  assert_success
  assert_equal "$(first_line)" "TLS-CERT 127.0.0.1:PORT: valid for 1 more days (until DATE, limit 1), chain verified, for 127.0.0.1"
}

@test "TLS-CERT: an expired certificate in a file says how long ago" {
  run_prebuilt openssl tls-cert file="$T/expired.pem" ca_file="$T/ca.pem"
  assert_failure 1
  assert_equal "${lines[0]}" "TLS-CERT $T/expired.pem: certificate expired 1 day ago ($(date -u -d '-1 day' +%F))"
  # The chain check ran too, and openssl's verdict is in the details.
  assert_line "chain: does not verify against $T/ca.pem: certificate has expired"
}

@test "TLS-CERT: a good certificate in a file passes; with no certificate in it, fails" {
  run_prebuilt openssl tls-cert file="$T/long.pem" ca_file="$T/ca.pem" servername=a.example
  assert_success
  assert_equal "$(first_line)" "TLS-CERT $T/long.pem: valid for 29 more days (until DATE, limit 14), chain verified, for a.example"
  run_prebuilt openssl tls-cert file="$T/leaf.key"
  assert_failure 1
  assert_output "TLS-CERT $T/leaf.key: no PEM certificate in the file"
}

@test "TLS-CERT: a server name the certificate is not for is a hostname mismatch" {
  run_prebuilt openssl tls-cert host=127.0.0.1 port="$TLSLONG_PORT" ca_file="$T/ca.pem" servername=b.example
  assert_failure 1
  assert_equal "$(first_line)" "TLS-CERT 127.0.0.1:PORT: hostname mismatch: certificate is for DNS:a.example, IP Address:127.0.0.1, not b.example"
  assert_line "name: b.example does not match"
}

@test "TLS-CERT: a chain the system store does not trust fails with openssl's reason; verify=false passes" {
  run_prebuilt openssl tls-cert host=127.0.0.1 port="$TLSLONG_PORT"
  assert_failure 1
  assert_equal "$(first_line)" "TLS-CERT 127.0.0.1:PORT: chain does not verify: unable to get local issuer certificate"
  assert_line "chain: does not verify against the system store: unable to get local issuer certificate"
  run_prebuilt openssl tls-cert host=127.0.0.1 port="$TLSLONG_PORT" verify=
  assert_success
  assert_equal "$(first_line)" "TLS-CERT 127.0.0.1:PORT: valid for 29 more days (until DATE, limit 14), for 127.0.0.1"
  assert_line "chain: not verified (verify: false)"
}

@test "TLS-CERT: refused, not TLS, connect timeout and handshake timeout are told apart" {
  run_prebuilt openssl tls-cert host=127.0.0.1 port="$CLOSED_PORT"
  assert_failure 1
  assert_output "TLS-CERT 127.0.0.1:$CLOSED_PORT: connect: connection refused"
  run_prebuilt openssl tls-cert host=127.0.0.1 port="$PLAIN_PORT"
  assert_failure 1
  assert_output --regexp "^TLS-CERT 127.0.0.1:$PLAIN_PORT: not TLS: the server does not speak TLS on this port \(.+\)$"
  run_prebuilt openssl tls-cert host=127.0.0.1 port="$BLACKHOLE_PORT" timeout=1
  assert_failure 1
  assert_output "TLS-CERT 127.0.0.1:$BLACKHOLE_PORT: connect timed out after 1s"
  assert_elapsed_below 3000
  run_prebuilt openssl tls-cert host=127.0.0.1 port="$SILENT_PORT" timeout=1
  assert_failure 1
  assert_output "TLS-CERT 127.0.0.1:$SILENT_PORT: TLS handshake timed out after 1s (connected, no answer in TLS)"
  assert_elapsed_below 3000
}

@test "TLS-CERT: a name that does not resolve fails at DNS" {
  run_prebuilt openssl tls-cert host=nonexistent.invalid port=443 timeout=3
  assert_failure 1
  assert_output "TLS-CERT nonexistent.invalid:443: DNS: could not resolve host"
}

@test "TLS-CERT/busybox: busybox awk and date with openssl give the same answers" {
  run_prebuilt busybox-openssl tls-cert host=127.0.0.1 port="$TLSSHORT_PORT" ca_file="$T/ca.pem"
  assert_failure 1
  assert_equal "${lines[0]}" "TLS-CERT 127.0.0.1:$TLSSHORT_PORT: expires in 1 day ($(date -u -d '+2 days' +%F), limit 14)"
  run_prebuilt busybox-openssl tls-cert host=127.0.0.1 port="$TLSLONG_PORT" ca_file="$T/ca.pem"
  assert_success
  assert_equal "$(first_line)" "TLS-CERT 127.0.0.1:PORT: valid for 29 more days (until DATE, limit 14), chain verified, for 127.0.0.1"
}

@test "TLS-CERT: without openssl it is skipped, with the reason" {
  run_prebuilt busybox tls-cert host=127.0.0.1 port="$TLSLONG_PORT"
  assert_success
  assert_output "skipped: no openssl here: TLS-CERT reads certificates with the openssl command"
  [[ -f $PLUGIN_DIR/skipped ]]
}

@test "TLS-CERT: parameters it cannot use exit 2" {
  run_prebuilt openssl tls-cert host=127.0.0.1 file="$T/long.pem"
  assert_failure 2
  assert_output "TLS-CERT: give host or file, not both"
  run_prebuilt openssl tls-cert
  assert_failure 2
  run_prebuilt openssl tls-cert host=127.0.0.1 port=99999
  assert_failure 2
  run_prebuilt openssl tls-cert host=127.0.0.1 min_days=ten
  assert_failure 2
  assert_output 'TLS-CERT 127.0.0.1:443: min_days "ten" is not a whole number of days'
  run_prebuilt openssl tls-cert host=127.0.0.1 ca_file="$T/nope.pem"
  assert_failure 2
}

# ---- DNS -----------------------------------------------------------------------------------------

dns_server() { printf '127.0.0.1:%s' "$DNS_PORT"; }
dns_asked() { grep -c -x -F "$1" "$T/dns.port.log" || true; }

@test "DNS/busybox: a name with A and AAAA records resolves through the given server" {
  run_prebuilt busybox dns name=www.example.test server="$(dns_server)"
  assert_success
  assert_equal "$(first_line)" "DNS www.example.test: resolves to 10.1.2.3, 10.1.2.4, fd00::1 in N ms (server 127.0.0.1:PORT)"
  # The answer came from our server, asked for both families.
  (($(dns_asked "www.example.test A") >= 1))
  (($(dns_asked "www.example.test AAAA") >= 1))
}

@test "DNS/busybox: a CNAME is followed and named" {
  run_prebuilt busybox dns name=alias.example.test server="$(dns_server)"
  assert_success
  assert_equal "$(first_line)" "DNS alias.example.test: resolves to 10.1.2.3, 10.1.2.4, fd00::1 (CNAME www.example.test) in N ms (server 127.0.0.1:PORT)"
}

@test "DNS/busybox: expect passes on the same addresses, in any order, per family" {
  # Newlines (a YAML list), commas and blanks separate them; IPv6 compares case-insensitively.
  run_prebuilt busybox dns name=www.example.test server="$(dns_server)" expect="10.1.2.4
10.1.2.3, FD00::1"
  assert_success
}

@test "DNS/busybox: expect fails on other addresses and shows got against expected" {
  run_prebuilt busybox dns name=www.example.test server="$(dns_server)" expect="10.1.2.3 10.1.2.5"
  assert_failure 1
  assert_equal "$(first_line)" "DNS www.example.test: resolves to 10.1.2.3, 10.1.2.4, fd00::1, not to the expected 10.1.2.3, 10.1.2.5 (server 127.0.0.1:PORT)"
  assert_line "missing: 10.1.2.5"
  assert_line "unexpected: 10.1.2.4"
}

@test "DNS/busybox: NXDOMAIN, SERVFAIL and a name without addresses are told apart" {
  run_prebuilt busybox dns name=nope.example.test server="$(dns_server)"
  assert_failure 1
  assert_equal "$(first_line)" "DNS nope.example.test: NXDOMAIN, no such name (server 127.0.0.1:PORT)"
  run_prebuilt busybox dns name=broken.example.test server="$(dns_server)"
  assert_failure 1
  assert_equal "$(first_line)" "DNS broken.example.test: SERVFAIL, the server could not get an answer (server 127.0.0.1:PORT)"
  run_prebuilt busybox dns name=nodata.example.test server="$(dns_server)"
  assert_failure 1
  assert_equal "$(first_line)" "DNS nodata.example.test: no address: the name exists but has no A or AAAA record (server 127.0.0.1:PORT)"
}

@test "DNS/busybox: a server that does not answer times out at the deadline; a closed port is unreachable" {
  run_prebuilt busybox dns name=slow.example.test server="$(dns_server)" timeout=1
  assert_failure 1
  assert_equal "$(first_line)" "DNS slow.example.test: no answer, the resolver timed out after 1s (server 127.0.0.1:PORT)"
  assert_elapsed_below 3500
  (($(dns_asked "slow.example.test A") >= 1))
  run_prebuilt busybox dns name=www.example.test server="127.0.0.1:$DEAD_UDP_PORT" timeout=2
  assert_failure 1
  assert_equal "$(first_line)" "DNS www.example.test: resolver unreachable: connection refused (server 127.0.0.1:PORT)"
}

@test "DNS/busybox-cmd: \`busybox nslookup\` is used when there is no nslookup applet" {
  run_prebuilt busybox-cmd dns name=v4.example.test server="$(dns_server)" expect=10.9.9.9
  assert_success
  assert_equal "$(first_line)" "DNS v4.example.test: resolves to 10.9.9.9 in N ms (server 127.0.0.1:PORT)"
}

@test "DNS/getent: localhost resolves through the system resolver" {
  run_prebuilt getent dns name=localhost expect=127.0.0.1
  assert_success
  assert_equal "$(first_line)" "DNS localhost: resolves to 127.0.0.1 in N ms (system resolver)"
  run_prebuilt getent dns name=localhost expect=127.0.0.2
  assert_failure 1
  assert_equal "$(first_line)" "DNS localhost: resolves to 127.0.0.1, not to the expected 127.0.0.2 (system resolver)"
}

@test "DNS/getent: a name the system resolver cannot resolve fails" {
  run_prebuilt getent dns name=nonexistent.invalid timeout=3
  assert_failure 1
  assert_output "DNS nonexistent.invalid: does not resolve (system resolver)"
}

@test "DNS/busybox: without getent, /etc/hosts answers for localhost" {
  run_prebuilt busybox dns name=LOCALHOST
  assert_success
  assert_equal "$(first_line)" "DNS LOCALHOST: resolves to 127.0.0.1 in N ms (/etc/hosts)"
}

@test "DNS: with no tool that can ask a server it is skipped, with the reason" {
  run_prebuilt getent dns name=www.example.test server="$(dns_server)"
  assert_success
  assert_output "skipped: no tool here can ask a chosen DNS server (looked for busybox nslookup and nslookup)"
  [[ -f $PLUGIN_DIR/skipped ]]
  # awk reads /etc/hosts everywhere; beyond it, DNS needs a tool.
  run_prebuilt none dns name=localhost
  assert_success
  assert_equal "$(first_line)" "DNS localhost: resolves to 127.0.0.1 in N ms (/etc/hosts)"
  run_prebuilt none dns name=nonexistent.invalid
  assert_success
  assert_output "skipped: nonexistent.invalid is not in /etc/hosts, and no tool here can ask DNS (looked for getent, busybox nslookup and nslookup)"
}

@test "DNS: parameters it cannot use exit 2" {
  run_prebuilt busybox dns name="-x"
  assert_failure 2
  run_prebuilt busybox dns name="a b"
  assert_failure 2
  run_prebuilt busybox dns name=www.example.test expect="10.1.2.3 not-an-ip"
  assert_failure 2
  assert_output "DNS www.example.test: expect holds something that is not an IPv4 or IPv6 address: not-an-ip"
  run_prebuilt busybox dns name=www.example.test server="127.0.0.1:99999"
  assert_failure 2
  assert_output 'DNS www.example.test: server "127.0.0.1:99999" is not IP, IP:PORT or [IPv6]:PORT'
}

# ---- K8S-API -------------------------------------------------------------------------------------

k8s_url() { printf 'https://127.0.0.1:%s' "$K8S_PORT"; }
# sa NAME: the parameters for the service account folder $T/sa-NAME.
sa() { printf '%s\n' "token_file=$T/sa-$1/token" "ca_file=$T/sa-$1/ca.crt"; }
k8s_log() { cat "$T/${1:-k8s}.port.log"; }
# run_k8s BIN SA [PARAM=VALUE...]: K8S-API against the main fake with service account SA.
run_k8s() {
  local bin=$1 who=$2
  shift 2
  local params
  mapfile -t params < <(sa "$who")
  run_prebuilt "$bin" k8s-api url="$(k8s_url)" "${params[@]}" "$@"
}
# The token must be nowhere in what the plugin printed or left behind.
assert_token_hidden() {
  local token=$1
  [[ $output != *"$token"* ]] || fail "the token is in the output"
  ! grep -rqF "$token" "$PLUGIN_DIR" || fail "the token is left in $(grep -rlF "$token" "$PLUGIN_DIR")"
}

@test "K8S-API/curl: a valid token is authenticated, through SelfSubjectReview" {
  : >"$T/k8s.port.log"
  run_k8s curl valid
  assert_success
  assert_equal "$(first_line)" "K8S-API https://127.0.0.1:PORT: ready, authenticated as system:serviceaccount:shop:checkout in N ms"
  assert_line --regexp "^token: $T/sa-valid/token, expires in 5[89] min, for system:serviceaccount:shop:checkout$"
  assert_recorded_status 201
  assert_token_hidden "$TOKEN_VALID"
  # /readyz went anonymous, the review with the token and a JSON body.
  assert_equal "$(k8s_log)" "GET /readyz auth=no type=
POST /apis/authentication.k8s.io/v1/selfsubjectreviews auth=yes type=application/json"
}

@test "K8S-API/curl-openssl: an unknown token is rejected with 401, a forbidden one gets the API's 403 message" {
  run_k8s curl-openssl unknown
  assert_failure 1
  assert_equal "$(first_line)" "K8S-API https://127.0.0.1:PORT: ready, 401 token rejected: Unauthorized"
  assert_recorded_status 401
  assert_token_hidden "$TOKEN_UNKNOWN"
  run_k8s curl-openssl forbid
  assert_failure 1
  assert_equal "$(first_line)" 'K8S-API https://127.0.0.1:PORT: ready, 403 forbidden: selfsubjectreviews.authentication.k8s.io is forbidden: User "system:serviceaccount:shop:locked" cannot create resource "selfsubjectreviews" in API group "authentication.k8s.io" at the cluster scope'
  assert_recorded_status 403
}

@test "K8S-API/curl: an expired token is reported before any request" {
  : >"$T/k8s.port.log"
  run_k8s curl expired
  assert_failure 1
  # Minted 10.5 min before setup_file ended.
  assert_output --regexp "^K8S-API https://127.0.0.1:$K8S_PORT: the service account token expired 1[0-9] min ago \(system:serviceaccount:shop:checkout\)"
  assert_equal "$(k8s_log)" ""
  assert_token_hidden "$TOKEN_EXPIRED"
}

@test "K8S-API/curl: an opaque (non-JWT) token still authenticates; its expiry is unknown" {
  run_k8s curl opaque
  assert_success
  assert_equal "$(first_line)" "K8S-API https://127.0.0.1:PORT: ready, authenticated as system:serviceaccount:shop:legacy in N ms"
  assert_line "token: $T/sa-opaque/token, not a JWT (expiry unknown)"
}

@test "K8S-API: outside a cluster it is skipped; the in-cluster environment gives the URL" {
  run_prebuilt curl k8s-api token_file="$T/sa-valid/token" ca_file="$T/ca.pem"
  assert_success
  assert_output "skipped: not in a Kubernetes pod: KUBERNETES_SERVICE_HOST is not set (give url to check an API server from elsewhere)"
  [[ -f $PLUGIN_DIR/skipped ]]
  PLUGIN_ENV="KUBERNETES_SERVICE_HOST=127.0.0.1 KUBERNETES_SERVICE_PORT=$K8S_PORT; export KUBERNETES_SERVICE_HOST KUBERNETES_SERVICE_PORT" \
    run_prebuilt curl k8s-api token_file="$T/sa-valid/token" ca_file="$T/ca.pem"
  assert_success
  assert_equal "${lines[0]}" "K8S-API https://127.0.0.1:$K8S_PORT: ready, authenticated as system:serviceaccount:shop:checkout in ${lines[0]##* in }"
}

@test "K8S-API: no token mounted fails and says so" {
  run_prebuilt curl k8s-api url="$(k8s_url)" token_file="$T/nowhere/token" ca_file="$T/ca.pem"
  assert_failure 1
  assert_equal "$(first_line)" "K8S-API https://127.0.0.1:PORT: no service account token at $T/nowhere/token (automountServiceAccountToken: false?)"
}

@test "K8S-API: a server certificate from another CA fails at TLS, with openssl or curl alone" {
  run_prebuilt curl-openssl k8s-api url="$(k8s_url)" token_file="$T/sa-valid/token" ca_file="$T/other-ca.pem"
  assert_failure 1
  assert_equal "$(first_line)" "K8S-API https://127.0.0.1:PORT: TLS: the server certificate does not verify against $T/other-ca.pem: unable to get local issuer certificate"
  run_prebuilt curl k8s-api url="$(k8s_url)" token_file="$T/sa-valid/token" ca_file="$T/other-ca.pem"
  assert_failure 1
  assert_output --regexp "^K8S-API https://127.0.0.1:$K8S_PORT: GET /readyz -> TLS: .+"
}

@test "K8S-API: connection refused and API not ready" {
  run_prebuilt curl-openssl k8s-api url="https://127.0.0.1:$CLOSED_PORT" token_file="$T/sa-valid/token" ca_file="$T/ca.pem"
  assert_failure 1
  assert_output "K8S-API https://127.0.0.1:$CLOSED_PORT: connect: connection refused"
  run_prebuilt curl k8s-api url="$(k8s_url)/not-ready" token_file="$T/sa-valid/token" ca_file="$T/ca.pem"
  assert_failure 1
  assert_output "K8S-API https://127.0.0.1:$K8S_PORT/not-ready: not ready: GET /readyz -> 500
[-]etcd failed: reason withheld"
  assert_recorded_status 500
}

@test "K8S-API: before Kubernetes 1.28 (no SelfSubjectReview) a pods list proves the token" {
  run_prebuilt curl k8s-api url="$(k8s_url)/v1.27" $(sa valid)
  assert_success
  assert_equal "$(first_line)" "K8S-API https://127.0.0.1:PORT/v1.27: ready, authenticated, can list pods in shop (no SelfSubjectReview before Kubernetes 1.28) in N ms"
  run_prebuilt curl k8s-api url="$(k8s_url)/v1.27" $(sa forbid)
  assert_success
  assert_equal "$(first_line)" "K8S-API https://127.0.0.1:PORT/v1.27: ready, authenticated as system:serviceaccount:shop:locked, not allowed to list pods in shop (no SelfSubjectReview before Kubernetes 1.28)"
  grep -qx "GET /v1.27/api/v1/namespaces/shop/pods?limit=1 auth=yes type=" "$T/k8s.port.log"
}

@test "K8S-API/wget: GNU wget sends the token from a wgetrc" {
  : >"$T/k8s.port.log"
  run_k8s wget valid
  assert_success
  assert_equal "$(first_line)" "K8S-API https://127.0.0.1:PORT: ready, authenticated as system:serviceaccount:shop:checkout in N ms"
  assert_token_hidden "$TOKEN_VALID"
  assert_equal "$(k8s_log)" "GET /readyz auth=no type=
POST /apis/authentication.k8s.io/v1/selfsubjectreviews auth=yes type=application/json"
  # GNU wget keeps no body for a 401: the status alone.
  run_k8s wget unknown
  assert_failure 1
  assert_equal "$(first_line)" "K8S-API https://127.0.0.1:PORT: ready, 401 token rejected"
}

@test "K8S-API/busybox: only the anonymous /readyz is checked, and the output says why" {
  : >"$T/k8s.port.log"
  run_k8s busybox-openssl valid
  assert_success
  assert_equal "$(first_line)" "K8S-API https://127.0.0.1:PORT: ready (anonymous GET /readyz in N ms); token not checked: busybox wget can send it only on its command line, where any process can read it (install curl or GNU wget)"
  assert_equal "$(k8s_log)" "GET /readyz auth=no type="
  assert_token_hidden "$TOKEN_VALID"
  # Without openssl nothing here can check the certificate: said, not hidden.
  run_k8s busybox valid
  assert_success
  assert_line "note: the server certificate was not verified (busybox wget cannot use $T/sa-valid/ca.crt, and there is no openssl)"
  # With openssl, the cluster CA is checked before busybox wget connects.
  run_prebuilt busybox-openssl k8s-api url="$(k8s_url)" token_file="$T/sa-valid/token" ca_file="$T/other-ca.pem"
  assert_failure 1
  assert_equal "$(first_line)" "K8S-API https://127.0.0.1:PORT: TLS: the server certificate does not verify against $T/other-ca.pem: unable to get local issuer certificate"
}

@test "K8S-API: the token never appears on a command line (curl and GNU wget)" {
  # The sampler watches every process carrying this test's mark while the fake holds its
  # authenticated answers (the /slow cluster) for 400 ms.
  node "$HYP_ROOT/test/support/proc-cmdlines.mjs" "$BATS_TEST_TMPDIR/argv" "$BATS_TEST_TMPDIR/stop" \
    "HYP_TEST_MARK=$HYP_TEST_MARK" 3>&- &
  local sampler=$! bin
  while [[ ! -f $BATS_TEST_TMPDIR/argv.ready ]]; do sleep 0.02; done
  for bin in curl wget; do
    run_prebuilt "$bin" k8s-api url="$(k8s_url)/slow" $(sa valid)
    assert_success
    assert_token_hidden "$TOKEN_VALID"
  done
  touch "$BATS_TEST_TMPDIR/stop"
  wait "$sampler"
  # The sampler saw both tools that sent the token.
  for bin in curl wget; do
    grep -q "^$bin .*selfsubjectreviews" "$BATS_TEST_TMPDIR/argv" || fail "$bin was not seen: $(cat "$BATS_TEST_TMPDIR/argv")"
  done
  ! grep -qF "$TOKEN_VALID" "$BATS_TEST_TMPDIR/argv" || fail "the token was on a command line"
}

@test "K8S-API: parameters it cannot use exit 2" {
  run_prebuilt curl k8s-api url="ftp://127.0.0.1/" $(sa valid)
  assert_failure 2
  assert_output 'K8S-API "ftp://127.0.0.1/": not an https:// URL'
  run_prebuilt curl k8s-api url="$(k8s_url)" $(sa valid) namespace="Bad_NS"
  assert_failure 2
}
