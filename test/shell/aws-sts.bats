#!/usr/bin/env bats
# The AWS-STS prebuilt (stdlib/aws-sts.sh + stdlib/lib/sigv4.sh) under the shell in $HYP_SH,
# against test/support/fake-sts.mjs: a loopback STS that recomputes every signature with the AWS
# SDK's own signer (its format is held to @aws-sdk/client-sts in test/compiler/fake-sts.test.ts).
# Each credential source, both signers, each failure stage, and the promise that no secret
# reaches a command line or the output.

setup_file() {
  load runner-helpers
  export SUPPORT="$REPO/test/support"
  # The plugin as the runner inlines it: plugin API, helpers, prebuilt. Tests run in the C
  # locale, a container's default, where yash refuses to read a script holding any non-ASCII
  # byte (a test below holds these files to ASCII).
  export PLUGIN="$BATS_FILE_TMPDIR/aws-sts-plugin.sh"
  cat "$REPO/runtime/plugin-api.sh" "$REPO/stdlib/lib/sigv4.sh" "$REPO/stdlib/lib/time.sh" "$REPO/stdlib/aws-sts.sh" >"$PLUGIN"
  # The runner's way of calling a prebuilt: parameters as hyp_arg_*, a subshell, no stdin,
  # stdout and stderr together.
  export DRIVER="$BATS_FILE_TMPDIR/driver.sh"
  cat >"$DRIVER" <<'SH'
# $1: the environment to export (a file: secrets in argv would fail the argv test), $2: the plugin.
. "$1"
. "$2"
shift 2
for _arg in "$@"; do eval "hyp_arg_${_arg%%=*}=\${_arg#*=}"; done
(hyp_prebuilt_aws_sts) </dev/null 2>&1
SH
  # The shell under test by absolute path, so tests may narrow PATH (no curl, argv shims).
  read -r program rest <<<"$HYP_SH"
  export SHELL_CMD
  SHELL_CMD="$(command -v "$program") $rest"

  # The test identities, from the fake's module.
  # (The module's path goes through the environment: as argv[1] it would start the server.)
  FAKE_MODULE="$SUPPORT/fake-sts.mjs" node --input-type=module -e '
    const m = await import(process.env.FAKE_MODULE);
    const q = (s) => `'"'"'${s}'"'"'`;
    const { static: st, session, expired } = m.IDENTITIES;
    const lines = {
      STATIC_AKID: st.accessKeyId, STATIC_SECRET: st.secretAccessKey, STATIC_ARN: st.arn,
      SESSION_AKID: session.accessKeyId, SESSION_SECRET: session.secretAccessKey, SESSION_TOKEN: session.sessionToken, SESSION_ARN: session.arn,
      EXPIRED_AKID: expired.accessKeyId, EXPIRED_SECRET: expired.secretAccessKey, EXPIRED_TOKEN: expired.sessionToken,
      ROLE_ARN: m.WEB_IDENTITY.roleArn, WEB_TOKEN: m.WEB_IDENTITY.token, CONTAINER_PATH: m.CONTAINER.path,
      CONTAINER_TOKEN: m.CONTAINER.authToken, IMDS_ROLE: m.IMDS.role,
    };
    for (const [k, v] of Object.entries(lines)) console.log(`export ${k}=${q(v)}`);
  ' >"$BATS_FILE_TMPDIR/ids.sh"
  . "$BATS_FILE_TMPDIR/ids.sh"
  printf '%s' "$WEB_TOKEN" >"$BATS_FILE_TMPDIR/web-identity-token"
  printf '%s\n' "$CONTAINER_TOKEN" >"$BATS_FILE_TMPDIR/pod-identity-token"
  export WEB_TOKEN_FILE="$BATS_FILE_TMPDIR/web-identity-token" POD_TOKEN_FILE="$BATS_FILE_TMPDIR/pod-identity-token"

  # A certificate for the TLS fake, minted here.
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$BATS_FILE_TMPDIR/key.pem" -out "$BATS_FILE_TMPDIR/cert.pem" 2>/dev/null
  export CERT="$BATS_FILE_TMPDIR/cert.pem"

  start_fake plain FAKE
  start_fake skewed SKEWED --skew 1200
  start_fake tls TLS --tls "$CERT" "$BATS_FILE_TMPDIR/key.pem"
  start_fake slow SLOW --delay 250
}

# start_fake NAME VAR [OPTIONS]: starts a fake STS; exports VAR_PORT, VAR_PID and VAR_LOG.
start_fake() {
  local name=$1 var=$2
  shift 2
  node "$SUPPORT/fake-sts.mjs" "$BATS_FILE_TMPDIR/$name.port" "$@" 3>&- &
  eval "export ${var}_PID=$!"
  for _ in $(seq 1 100); do
    [ -s "$BATS_FILE_TMPDIR/$name.port" ] && break
    sleep 0.05
  done
  eval "export ${var}_PORT=\$(cat \"\$BATS_FILE_TMPDIR/$name.port\") ${var}_LOG=\"\$BATS_FILE_TMPDIR/$name.port.log\""
}

teardown_file() {
  for pid in "${FAKE_PID:-}" "${SKEWED_PID:-}" "${TLS_PID:-}" "${SLOW_PID:-}"; do
    [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  done
}

setup() {
  load runner-helpers
  cd "$BATS_TEST_TMPDIR" || return 1
  : >"$FAKE_LOG"
  : >"$TLS_LOG"
  export FAKE_URL="http://127.0.0.1:$FAKE_PORT"
  # The long-term key pair, as run_sts arguments.
  STATIC_ENV=("AWS_ACCESS_KEY_ID=$STATIC_AKID" "AWS_SECRET_ACCESS_KEY=$STATIC_SECRET")
}

teardown() {
  # Whatever a failed test left running: the /proc sampler (it spins) and the silent peer.
  [ -z "${SAMPLER_PID:-}" ] || { touch "$BATS_TEST_TMPDIR/stop"; kill "$SAMPLER_PID" 2>/dev/null || true; }
  [ -z "${SILENT_PID:-}" ] || kill "$SILENT_PID" 2>/dev/null || true
}

# run_sts [ENV=VALUE ...] -- [PARAM=VALUE ...]: runs the prebuilt under $HYP_SH in a clean
# environment (nothing from the host's AWS setup leaks in; IMDS off unless a test turns it on),
# with a fresh HYP_PLUGIN_DIR. The variables reach the shell through a file it sources and
# exports, as a pod's environment would be there from the start, never through an argv.
# Sets $status and $output as `run` does.
run_sts() {
  local env_file="$BATS_TEST_TMPDIR/env.sh" assignment
  (umask 077 && printf 'export AWS_EC2_METADATA_DISABLED=true\n' >"$env_file")
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    assignment=$1
    printf "export %s='%s'\n" "${assignment%%=*}" "$(printf '%s' "${assignment#*=}" | sed "s/'/'\\\\''/g")" >>"$env_file"
    shift
  done
  [ $# -eq 0 ] || shift
  rm -rf "$BATS_TEST_TMPDIR/plugin"
  mkdir -p "$BATS_TEST_TMPDIR/plugin"
  # shellcheck disable=SC2086 # SHELL_CMD is a command with its options
  run env -i PATH="${TEST_PATH:-$PATH}" HOME="$BATS_TEST_TMPDIR" LC_ALL=C HYP_PLUGIN_DIR="$BATS_TEST_TMPDIR/plugin" \
    $SHELL_CMD "$DRIVER" "$env_file" "$PLUGIN" timeout=5 "$@"
}

# http_status: the last status the plugin recorded with hyp_http_status (empty: none).
http_status() {
  [ ! -s "$BATS_TEST_TMPDIR/plugin/http" ] || tail -n 1 "$BATS_TEST_TMPDIR/plugin/http"
}

# assert_clean_plugin_dir: no credential file or derived key is left behind.
assert_clean_plugin_dir() {
  [ ! -e "$BATS_TEST_TMPDIR/plugin/aws-sts" ] || fail "left behind: $(ls -R "$BATS_TEST_TMPDIR/plugin")"
}


@test "the plugin's files are ASCII: yash in the C locale will not parse a script with any other byte" {
  for file in stdlib/aws-sts.sh stdlib/lib/sigv4.sh stdlib/lib/time.sh runtime/plugin-api.sh; do
    run env LC_ALL=C grep -n '[^ -~	]' "$REPO/$file"
    assert_failure 1
  done
  # And the plugin as assembled here parses under the shell being tested, in the C locale.
  run env -i LC_ALL=C $SHELL_CMD -c '. "$1" && command -v hyp_prebuilt_aws_sts' _ "$PLUGIN"
  assert_success
  assert_output hyp_prebuilt_aws_sts
}

@test "lib/sigv4 signs exactly as the AWS SDK's signer (@smithy/signature-v4), and AWS's own get-vanilla example" {
  mkdir v && cd v
  printf 'AKIDEXAMPLE\n' >akid
  printf 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n' >secret
  run $SHELL_CMD -c '. "$1"; hyp_sigv4_sign "$PWD" GET https://example.amazonaws.com/ us-east-1 service 20150830T123600Z' _ "$REPO/stdlib/lib/sigv4.sh"
  assert_success
  # From AWS's SigV4 test suite (get-vanilla): the signature AWS publishes.
  run grep -c 'Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31$' sigv4.headers
  assert_output 1

  # Requests that exercise every canonicalisation rule, against the SDK's signer.
  printf '%s\n' "$SESSION_AKID" >akid
  printf '%s\n' "$SESSION_SECRET" >secret
  printf '%s\n' "$SESSION_TOKEN" >token
  printf 'Action=GetCallerIdentity&Version=2011-06-15' >body
  # Header names in any case; values with runs of blanks, which SigV4 squeezes.
  printf 'Content-Type: application/x-www-form-urlencoded; charset=utf-8\nX-Amz-Meta-Note:  two   spaces  \n' >headers
  for url in \
    "https://sts.eu-west-1.amazonaws.com/" \
    "http://127.0.0.1:8080/a/./b/../c%20d/?b=2&a=1&a=0&sp=x%20y&t=%7E~&u=%C3%BC" \
    "https://sts.us-east-1.amazonaws.com/path-with-\$-and-*/x" \
    "https://sts.us-east-1.amazonaws.com:443/?empty=&flag"; do
    run $SHELL_CMD -c '. "$1"; hyp_sigv4_sign "$PWD" POST "$2" eu-west-1 sts 20260102T030405Z' _ "$REPO/stdlib/lib/sigv4.sh" "$url"
    assert_success
    mine=$(sed -n 's/^Authorization: //p' sigv4.headers)
    theirs=$(node "$SUPPORT/sigv4-reference.mjs" "$PWD" POST "$url" eu-west-1 sts 20260102T030405Z)
    [ "$mine" = "$theirs" ] || fail "$url
lib/sigv4: $mine
SDK:       $theirs
canonical request:
$(cat sigv4.creq)"
  done
}

@test "lib/sigv4 gives the same signature with busybox awk (the awk of Alpine images)" {
  command -v busybox >/dev/null || skip "no busybox"
  mkdir bb v && ln -s "$(command -v busybox)" bb/awk
  cd v
  printf 'AKIDEXAMPLE\n' >akid
  printf 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n' >secret
  printf 'Action=GetCallerIdentity&Version=2011-06-15' >body
  url="http://127.0.0.1:8080/a/./b/../c%20d/?b=2&a=1&sp=x%20y&u=%C3%BC"
  run env PATH="$BATS_TEST_TMPDIR/bb:$PATH" $SHELL_CMD -c 'command -v awk; . "$1"; hyp_sigv4_sign "$PWD" POST "$2" us-east-1 sts 20260102T030405Z' _ "$REPO/stdlib/lib/sigv4.sh" "$url"
  assert_success
  assert_line --index 0 "$BATS_TEST_TMPDIR/bb/awk"
  mine=$(sed -n 's/^Authorization: //p' sigv4.headers)
  theirs=$(node "$SUPPORT/sigv4-reference.mjs" "$PWD" POST "$url" us-east-1 sts 20260102T030405Z)
  assert_equal "$mine" "$theirs"
}

@test "environment keys: passes through the curl signer and the openssl signer" {
  for signer in curl openssl; do
    : >"$FAKE_LOG"
    run_sts "${STATIC_ENV[@]}" AWS_ENDPOINT_URL_STS="$FAKE_URL" -- signer=$signer
    assert_success
    assert_line --index 0 --regexp "^AWS-STS ok: $STATIC_ARN \(account 123456789012\) via environment keys, $signer signer, in [0-9]+ ms$"
    assert_line --regexp '^  credentials: AWS_ACCESS_KEY_ID \(\*\*\*\*C001\) and AWS_SECRET_ACCESS_KEY from the environment$'
    assert_equal "$(http_status)" 200
    assert_clean_plugin_dir
    # The fake verified the signature: the request reached GetCallerIdentity with this key.
    run grep -c "\"accessKeyId\":\"$STATIC_AKID\".*\"outcome\":\"identity\"" "$FAKE_LOG"
    assert_output 1
  done
}

@test "environment keys with a session token: passes through both signers, and the token is signed" {
  for signer in curl openssl; do
    : >"$FAKE_LOG"
    run_sts AWS_ACCESS_KEY_ID="$SESSION_AKID" AWS_SECRET_ACCESS_KEY="$SESSION_SECRET" AWS_SESSION_TOKEN="$SESSION_TOKEN" \
      AWS_ENDPOINT_URL_STS="$FAKE_URL" -- signer=$signer
    assert_success
    assert_line --index 0 --regexp "^AWS-STS ok: $SESSION_ARN \(account 123456789012\) via environment keys with session token, $signer signer, in [0-9]+ ms$"
    assert_equal "$(http_status)" 200
    run grep -c '"signedHeaders":\[[^]]*"x-amz-security-token"\],"outcome":"identity"' "$FAKE_LOG"
    assert_output 1
  done
}

@test "IRSA: AssumeRoleWithWebIdentity (unsigned), then GetCallerIdentity with the role's credentials, both signers" {
  for signer in curl openssl; do
    : >"$FAKE_LOG"
    run_sts AWS_WEB_IDENTITY_TOKEN_FILE="$WEB_TOKEN_FILE" AWS_ROLE_ARN="$ROLE_ARN" AWS_ROLE_SESSION_NAME="bats-$signer" \
      AWS_REGION=us-east-1 AWS_ENDPOINT_URL_STS="$FAKE_URL" -- signer=$signer
    assert_success
    assert_line --index 0 --regexp "^AWS-STS ok: arn:aws:sts::123456789012:assumed-role/hyp-irsa-role/bats-$signer \(account 123456789012\) via web identity \(IRSA\), $signer signer, in [0-9]+ ms$"
    assert_line --regexp "^  credentials: web identity token .* exchanged for $ROLE_ARN \(session bats-$signer\) in [0-9]+ ms$"
    assert_line --regexp '^  endpoint: http://127\.0\.0\.1:[0-9]+ \(AWS_ENDPOINT_URL_STS; region us-east-1 from AWS_REGION\)$'
    run grep -c '"action":"AssumeRoleWithWebIdentity","outcome":"issued"' "$FAKE_LOG"
    assert_output 1
    run grep -c '"accessKeyId":"ASIA[0-9A-F]*".*"outcome":"identity"' "$FAKE_LOG"
    assert_output 1
  done
  assert_clean_plugin_dir
}

@test "the SDK's order: environment keys win over a web identity; a profile file the check does not read is named" {
  run_sts "${STATIC_ENV[@]}" AWS_WEB_IDENTITY_TOKEN_FILE="$WEB_TOKEN_FILE" AWS_ROLE_ARN="$ROLE_ARN" AWS_ENDPOINT_URL_STS="$FAKE_URL"
  assert_success
  assert_line --index 0 --regexp "^AWS-STS ok: $STATIC_ARN .* via environment keys,"
  run grep -c AssumeRoleWithWebIdentity "$FAKE_LOG"
  assert_output 0
  mkdir -p .aws && printf '[default]\nrole_arn = x\n' >.aws/config
  run_sts AWS_WEB_IDENTITY_TOKEN_FILE="$WEB_TOKEN_FILE" AWS_ROLE_ARN="$ROLE_ARN" AWS_PROFILE=ops AWS_ENDPOINT_URL_STS="$FAKE_URL"
  assert_success
  assert_line --regexp "^  warning: $BATS_TEST_TMPDIR/\.aws/config exists: the SDK would try profile ops there before the sources below; this check does not read profiles$"
}

@test "EKS Pod Identity / ECS: container credentials with a token file (curl signer) or a token variable (openssl signer)" {
  run_sts AWS_CONTAINER_CREDENTIALS_FULL_URI="$FAKE_URL$CONTAINER_PATH" AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$POD_TOKEN_FILE" \
    AWS_ENDPOINT_URL_STS="$FAKE_URL" -- signer=curl
  assert_success
  assert_line --index 0 --regexp '^AWS-STS ok: arn:aws:sts::123456789012:assumed-role/hyp-pod-identity-role/eks-hyp-pod \(account 123456789012\) via container credentials, curl signer, in [0-9]+ ms$'
  run_sts AWS_CONTAINER_CREDENTIALS_FULL_URI="$FAKE_URL$CONTAINER_PATH" AWS_CONTAINER_AUTHORIZATION_TOKEN="$CONTAINER_TOKEN" \
    AWS_ENDPOINT_URL_STS="$FAKE_URL" -- signer=openssl
  assert_success
  assert_line --index 0 --regexp '^AWS-STS ok: arn:aws:sts::123456789012:assumed-role/hyp-pod-identity-role/eks-hyp-pod .* openssl signer, in [0-9]+ ms$'
  assert_clean_plugin_dir
}

@test "IMDSv2: token PUT, role, credentials; and the SDKs' fallback to IMDSv1 when the PUT is refused" {
  run_sts AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT="$FAKE_URL/" AWS_ENDPOINT_URL_STS="$FAKE_URL" -- signer=openssl
  assert_success
  assert_line --index 0 --regexp "^AWS-STS ok: arn:aws:sts::123456789012:assumed-role/$IMDS_ROLE/i-0123456789abcdef0 \(account 123456789012\) via IMDSv2 instance profile $IMDS_ROLE, openssl signer, in [0-9]+ ms$"
  run grep -c '"method":"PUT","path":"/latest/api/token","outcome":"token"' "$FAKE_LOG"
  assert_output 1
  run_sts AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT="$FAKE_URL/imds-v1-only" AWS_ENDPOINT_URL_STS="$FAKE_URL"
  assert_success
  assert_line --index 0 --regexp "^AWS-STS ok: .* via IMDSv1 instance profile $IMDS_ROLE, curl signer,"
  assert_line --regexp '^  warning: IMDSv2 token request: HTTP 403; fell back to IMDSv1'
  run_sts AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_V1_DISABLED=true AWS_EC2_METADATA_SERVICE_ENDPOINT="$FAKE_URL/imds-v1-only"
  assert_failure
  assert_line --index 0 --regexp '^AWS-STS fail: credentials endpoint: instance metadata \(IMDS\) at .*: token request: HTTP 403, and IMDSv1 is disabled'
}

@test "a wrong secret fails at HTTP 403 SignatureDoesNotMatch, through both signers" {
  for signer in curl openssl; do
    run_sts AWS_ACCESS_KEY_ID="$STATIC_AKID" AWS_SECRET_ACCESS_KEY="not/the+secret" AWS_ENDPOINT_URL_STS="$FAKE_URL" -- signer=$signer
    assert_failure 1
    assert_line --index 0 'AWS-STS fail: HTTP 403 SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'
    assert_line --regexp '^  hint: the secret key does not belong to this access key'
    assert_equal "$(http_status)" 403
    assert_clean_plugin_dir
  done
}

@test "an unknown access key fails at HTTP 403 InvalidClientTokenId" {
  run_sts AWS_ACCESS_KEY_ID=AKIAHYPUNKNOWNKEY000 AWS_SECRET_ACCESS_KEY="$STATIC_SECRET" AWS_ENDPOINT_URL_STS="$FAKE_URL"
  assert_failure 1
  assert_line --index 0 'AWS-STS fail: HTTP 403 InvalidClientTokenId: The security token included in the request is invalid.'
}

@test "an expired session token fails at HTTP 400 ExpiredToken, through both signers" {
  for signer in curl openssl; do
    run_sts AWS_ACCESS_KEY_ID="$EXPIRED_AKID" AWS_SECRET_ACCESS_KEY="$EXPIRED_SECRET" AWS_SESSION_TOKEN="$EXPIRED_TOKEN" \
      AWS_ENDPOINT_URL_STS="$FAKE_URL" -- signer=$signer
    assert_failure 1
    assert_line --index 0 'AWS-STS fail: HTTP 400 ExpiredToken: The security token included in the request is expired'
    assert_equal "$(http_status)" 400
  done
}

@test "a clock 20 minutes off AWS's fails as clock skew, with the offset read from AWS's Date header" {
  for signer in curl openssl; do
    run_sts "${STATIC_ENV[@]}" AWS_ENDPOINT_URL_STS="http://127.0.0.1:$SKEWED_PORT" -- signer=$signer
    assert_failure 1
    assert_line --index 0 --regexp "^AWS-STS fail: HTTP 403 SignatureDoesNotMatch: clock skew: this pod's clock is 1(19[0-9]|20[0-9]) s behind AWS's: Signature expired: [0-9]{8}T[0-9]{6}Z is now earlier than [0-9]{8}T[0-9]{6}Z \([0-9]{8}T[0-9]{6}Z - 5 min\.\)$"
    assert_line --regexp '^  hint: fix the node.s time sync'
    assert_equal "$(http_status)" 403
  done
}

@test "an unreachable endpoint (closed port) fails at TCP connect, without an HTTP status" {
  # A port that was just free: bind, note, close.
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  for signer in curl openssl; do
    run_sts "${STATIC_ENV[@]}" AWS_ENDPOINT_URL_STS="http://127.0.0.1:$port" -- signer=$signer
    assert_failure 1
    assert_line --index 0 --regexp "^AWS-STS fail: TCP connect: could not connect to 127\.0\.0\.1:$port \(GetCallerIdentity at http://127\.0\.0\.1:$port via environment keys, $signer signer\): curl: \(7\)"
    assert_equal "$(http_status)" ""
  done
}

@test "a 200 that is not STS's answer (captive portal) fails, and is not reported as http_2xx" {
  run_sts "${STATIC_ENV[@]}" AWS_ENDPOINT_URL_STS="$FAKE_URL/captive-portal"
  assert_failure 1
  assert_line --index 0 "AWS-STS fail: HTTP 200 without an Arn and Account: not an STS answer (a captive proxy?) from $FAKE_URL/captive-portal: <html><body>Please log in to the guest Wi-Fi</body></html>"
  assert_equal "$(http_status)" ""
}

@test "a proxy that is down is named as the link that broke" {
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  run_sts "${STATIC_ENV[@]}" AWS_ENDPOINT_URL_STS="$FAKE_URL" http_proxy="http://user:pass@127.0.0.1:$port"
  assert_failure 1
  assert_line --index 0 --regexp "^AWS-STS fail: TCP connect: could not connect to the proxy 127\.0\.0\.1:$port \(http_proxy\) "
  assert_line --regexp "^  endpoint: .*, through the proxy 127\.0\.0\.1:$port \(http_proxy, unless NO_PROXY matches\)$"
  refute_output --partial 'pass'
}

@test "an endpoint that does not resolve fails at DNS" {
  run_sts "${STATIC_ENV[@]}" AWS_ENDPOINT_URL_STS="https://sts.hyp-test.invalid"
  assert_failure 1
  assert_line --index 0 --regexp '^AWS-STS fail: DNS: could not resolve sts\.hyp-test\.invalid '
}

@test "TLS: an untrusted certificate fails at TLS; AWS_CA_BUNDLE trusts it" {
  run_sts "${STATIC_ENV[@]}" AWS_ENDPOINT_URL_STS="https://127.0.0.1:$TLS_PORT"
  assert_failure 1
  assert_line --index 0 --regexp "^AWS-STS fail: TLS: handshake with 127\.0\.0\.1:$TLS_PORT failed .*curl: \(60\)"
  run_sts "${STATIC_ENV[@]}" AWS_CA_BUNDLE="$CERT" AWS_ENDPOINT_URL_STS="https://127.0.0.1:$TLS_PORT"
  assert_success
  assert_line --index 0 --regexp "^AWS-STS ok: $STATIC_ARN "
}

@test "no credentials anywhere fails (not skipped) and lists what was tried" {
  run_sts
  assert_failure 1
  assert_line --index 0 "AWS-STS fail: no credentials: nothing in the SDK's credential chain gives this pod an AWS identity"
  assert_line --regexp '^  tried: no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; no web identity .*; instance metadata disabled \(AWS_EC2_METADATA_DISABLED=true\)$'
  [ ! -e "$BATS_TEST_TMPDIR/plugin/skipped" ] || fail "reported as skipped"
  # Half-configured sources are named, and IMDS that cannot be reached ends the chain as in the SDK.
  run_sts AWS_ACCESS_KEY_ID="$STATIC_AKID" AWS_WEB_IDENTITY_TOKEN_FILE="$WEB_TOKEN_FILE" \
    AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:1
  assert_failure 1
  assert_line --index 0 --partial 'AWS-STS fail: no credentials:'
  assert_line --partial 'AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY'
  assert_line --partial 'AWS_WEB_IDENTITY_TOKEN_FILE is set without AWS_ROLE_ARN'
  assert_line --partial 'instance metadata (IMDS) at http://127.0.0.1:1: TCP connect'
}

@test "credentials endpoint failures: IRSA refused, token file missing, pod identity token wrong, endpoint down, foreign host" {
  run_sts AWS_WEB_IDENTITY_TOKEN_FILE="$WEB_TOKEN_FILE" AWS_ROLE_ARN=arn:aws:iam::123456789012:role/not-trusted AWS_ENDPOINT_URL_STS="$FAKE_URL"
  assert_failure 1
  assert_line --index 0 --regexp "^AWS-STS fail: credentials endpoint: web identity: AssumeRoleWithWebIdentity for arn:aws:iam::123456789012:role/not-trusted at $FAKE_URL: HTTP 403 AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity$"
  assert_equal "$(http_status)" 403

  run_sts AWS_WEB_IDENTITY_TOKEN_FILE=/nonexistent/token AWS_ROLE_ARN="$ROLE_ARN" AWS_ENDPOINT_URL_STS="$FAKE_URL"
  assert_failure 1
  assert_line --index 0 --partial 'AWS-STS fail: credentials endpoint: web identity: AssumeRoleWithWebIdentity for '"$ROLE_ARN"': the token file /nonexistent/token is missing'

  run_sts AWS_CONTAINER_CREDENTIALS_FULL_URI="$FAKE_URL$CONTAINER_PATH" AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong AWS_ENDPOINT_URL_STS="$FAKE_URL"
  assert_failure 1
  assert_line --index 0 "AWS-STS fail: credentials endpoint: container credentials at $FAKE_URL$CONTAINER_PATH: HTTP 401: Unable to validate the Authorization token"

  run_sts AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:1/creds" AWS_CONTAINER_AUTHORIZATION_TOKEN="$CONTAINER_TOKEN"
  assert_failure 1
  assert_line --index 0 --regexp '^AWS-STS fail: credentials endpoint: container credentials at http://127\.0\.0\.1:1/creds: TCP connect: '

  run_sts AWS_CONTAINER_CREDENTIALS_FULL_URI="http://203.0.113.9/creds" AWS_CONTAINER_AUTHORIZATION_TOKEN="$CONTAINER_TOKEN"
  assert_failure 1
  assert_line --index 0 --partial 'is not allowed: the SDKs accept only https, loopback'
}

@test "the timeout parameter bounds each call" {
  start=$(now_ms)
  run_sts "${STATIC_ENV[@]}" AWS_ENDPOINT_URL_STS="http://127.0.0.1:$SLOW_PORT" -- timeout=0.1
  elapsed=$(($(now_ms) - start))
  assert_failure 1
  assert_line --index 0 --regexp "^AWS-STS fail: HTTP: no answer from 127\.0\.0\.1:$SLOW_PORT within 0\.1s "
  [ "$elapsed" -lt 2000 ] || fail "took ${elapsed} ms"
}

@test "without curl: the openssl signer over openssl s_client; plain-HTTP-only sources skip" {
  mkdir nocurl
  # printf and kill: mksh and posh have no printf builtin, posh no kill builtin.
  for tool in awk cat cp date kill mkdir mv od openssl printf rm sleep sort tr wc; do
    ln -s "$(type -P "$tool")" "nocurl/$tool"
  done
  TEST_PATH="$PWD/nocurl" run_sts "${STATIC_ENV[@]}" AWS_CA_BUNDLE="$CERT" AWS_ENDPOINT_URL_STS="https://127.0.0.1:$TLS_PORT"
  assert_success
  assert_line --index 0 --regexp "^AWS-STS ok: $STATIC_ARN \(account 123456789012\) via environment keys, openssl signer, in [0-9]+ ms$"
  assert_line '  signer: openssl (lib/sigv4), sent with openssl s_client (no curl)'
  assert_equal "$(http_status)" 200
  run grep -c '"outcome":"identity"' "$TLS_LOG"
  assert_output 1

  TEST_PATH="$PWD/nocurl" run_sts AWS_ACCESS_KEY_ID="$EXPIRED_AKID" AWS_SECRET_ACCESS_KEY="$EXPIRED_SECRET" AWS_SESSION_TOKEN="$EXPIRED_TOKEN" \
    AWS_CA_BUNDLE="$CERT" AWS_ENDPOINT_URL_STS="https://127.0.0.1:$TLS_PORT"
  assert_failure 1
  assert_line --index 0 'AWS-STS fail: HTTP 400 ExpiredToken: The security token included in the request is expired'

  TEST_PATH="$PWD/nocurl" run_sts "${STATIC_ENV[@]}" AWS_ENDPOINT_URL_STS="https://127.0.0.1:$TLS_PORT"
  assert_failure 1
  assert_line --index 0 --regexp "^AWS-STS fail: TLS: handshake with 127\.0\.0\.1:$TLS_PORT failed .*verify error"

  TEST_PATH="$PWD/nocurl" run_sts "${STATIC_ENV[@]}" AWS_ENDPOINT_URL_STS="$FAKE_URL"
  assert_success
  assert_output --regexp '^skipped: AWS-STS: no HTTP client for http://127\.0\.0\.1:[0-9]+: curl is missing and openssl s_client speaks only TLS$'
  [ -e "$BATS_TEST_TMPDIR/plugin/skipped" ]

  TEST_PATH="$PWD/nocurl" run_sts "${STATIC_ENV[@]}" -- signer=curl
  assert_success
  assert_output 'skipped: AWS-STS: signer=curl needs curl 7.86 or newer (found: no curl)'
}

@test "without curl: a peer that never answers is cut off at the deadline, and nothing is left running" {
  mkdir nocurl
  # printf and kill: mksh and posh have no printf builtin, posh no kill builtin.
  for tool in awk cat cp date kill mkdir mv od openssl printf rm sleep sort tr wc; do
    ln -s "$(type -P "$tool")" "nocurl/$tool"
  done
  node -e 'const s=require("net").createServer(()=>{}).listen(0,"127.0.0.1",()=>{require("fs").writeFileSync("silent.port",String(s.address().port))})' 3>&- &
  silent=$! SILENT_PID=$!
  for _ in $(seq 1 100); do [ -s silent.port ] && break; sleep 0.05; done
  port=$(cat silent.port)
  start=$(now_ms)
  TEST_PATH="$PWD/nocurl" run_sts "${STATIC_ENV[@]}" AWS_ENDPOINT_URL_STS="https://127.0.0.1:$port" -- timeout=0.5
  elapsed=$(($(now_ms) - start))
  left=$(for f in /proc/[0-9]*/cmdline; do tr '\0' ' ' <"$f"; echo; done 2>/dev/null | grep -c "[s]_client .*127.0.0.1:$port" || true)
  kill "$silent"
  assert_failure 1
  assert_line --index 0 --regexp "^AWS-STS fail: TCP connect or TLS: no answer from 127\.0\.0\.1:$port within 0\.5s"
  [ "$elapsed" -lt 3000 ] || fail "took ${elapsed} ms"
  assert_equal "$left" 0
}

@test "compiled: the seed's AWS-STS example takes its http_2xx branch when STS answers, and stops on a 403" {
  sed "s|https://s3.us-east-1.amazonaws.com/|$FAKE_URL/captive-portal|" "$REPO/examples/seed-prebuilt.yaml" >config.yaml
  hyp_compile config.yaml runner.sh
  grep -q '^# ---- stdlib/aws-sts.sh (prebuilt AWS-STS) ----$' runner.sh
  grep -q '^# ---- stdlib/lib/sigv4.sh ----$' runner.sh
  for secret in "$STATIC_SECRET" wrong; do
    printf "export AWS_ACCESS_KEY_ID='%s' AWS_SECRET_ACCESS_KEY='%s' AWS_ENDPOINT_URL_STS='%s' AWS_EC2_METADATA_DISABLED=true\n" \
      "$STATIC_AKID" "$secret" "$FAKE_URL" >env.sh
    run env -i PATH="$PATH" HOME="$PWD" HYP_STATE_DIR="$PWD/state" sh -c '. ./env.sh && $1 runner.sh run | node "$2"' _ "$SHELL_CMD" "$SUPPORT/check-report.mjs"
    if [ "$secret" = wrong ]; then
      assert_line "AWS-STS fail - failure,exit_1,http_4xx,http_403 403"
      assert_line "plugin-do-something skipped - skipped -"
    else
      assert_line "AWS-STS pass - success,exit_0,http_2xx,http_200 200"
      assert_line --regexp "^plugin-do-something pass AWS-STS "
    fi
  done
}

@test "secrets never reach a command line (every exec logged, /proc sampled) nor the output" {
  # Every external command the plugin runs goes through a logging shim first in PATH.
  mkdir shims
  export ARGV_LOG="$PWD/argv.log"
  for tool in curl openssl awk sed cat rm mkdir mv cp od tr sort wc date sleep kill env printf echo head tail grep test; do
    real=$(type -P "$tool") || continue
    printf '#!/bin/sh\nprintf "%%s\\n" "%s $*" >>"$ARGV_LOG"\nexec %s "$@"\n' "$tool" "$real" >"shims/$tool"
    chmod +x "shims/$tool"
  done
  # Meanwhile, a sampler reads the plugin's processes' /proc/PID/cmdline, as another user on
  # the host could (it finds them by the HYP_PLUGIN_DIR in their environment).
  node "$SUPPORT/proc-cmdlines.mjs" "$PWD/cmdlines" "$PWD/stop" "HYP_PLUGIN_DIR=$BATS_TEST_TMPDIR/plugin" 3>&- &
  sampler=$! SAMPLER_PID=$!
  for _ in $(seq 1 100); do [ -e cmdlines.ready ] && break; sleep 0.05; done
  slow="http://127.0.0.1:$SLOW_PORT"
  : >outputs
  for signer in curl openssl; do
    TEST_PATH="$PWD/shims:$PATH" run_sts AWS_ACCESS_KEY_ID="$SESSION_AKID" AWS_SECRET_ACCESS_KEY="$SESSION_SECRET" \
      AWS_SESSION_TOKEN="$SESSION_TOKEN" ARGV_LOG="$ARGV_LOG" AWS_ENDPOINT_URL_STS="$slow" -- signer=$signer
    assert_success
    printf '%s\n' "$output" >>outputs
    TEST_PATH="$PWD/shims:$PATH" run_sts AWS_WEB_IDENTITY_TOKEN_FILE="$WEB_TOKEN_FILE" AWS_ROLE_ARN="$ROLE_ARN" \
      ARGV_LOG="$ARGV_LOG" AWS_ENDPOINT_URL_STS="$slow" -- signer=$signer
    assert_success
    printf '%s\n' "$output" >>outputs
    TEST_PATH="$PWD/shims:$PATH" run_sts AWS_CONTAINER_CREDENTIALS_FULL_URI="$slow$CONTAINER_PATH" AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE="$POD_TOKEN_FILE" \
      ARGV_LOG="$ARGV_LOG" AWS_ENDPOINT_URL_STS="$slow" -- signer=$signer
    assert_success
    printf '%s\n' "$output" >>outputs
    TEST_PATH="$PWD/shims:$PATH" run_sts AWS_CONTAINER_CREDENTIALS_FULL_URI="$slow$CONTAINER_PATH" AWS_CONTAINER_AUTHORIZATION_TOKEN="$CONTAINER_TOKEN" \
      ARGV_LOG="$ARGV_LOG" AWS_ENDPOINT_URL_STS="$slow" -- signer=$signer
    assert_success
    printf '%s\n' "$output" >>outputs
    TEST_PATH="$PWD/shims:$PATH" run_sts AWS_EC2_METADATA_DISABLED=false AWS_EC2_METADATA_SERVICE_ENDPOINT="$slow" \
      ARGV_LOG="$ARGV_LOG" AWS_ENDPOINT_URL_STS="$slow" -- signer=$signer
    assert_success
    printf '%s\n' "$output" >>outputs
  done
  touch stop
  wait "$sampler"
  SAMPLER_PID=''

  # The tests can fail: the shims saw curl, openssl and awk run, and the sampler saw curl alive.
  grep -q '^curl -K ' argv.log || fail "the shims logged no curl: $(head argv.log)"
  grep -q '^openssl dgst ' argv.log || fail "the shims logged no openssl"
  grep -q 'curl -K ' cmdlines || fail "the /proc sampler never saw curl ($(cat cmdlines.rounds) rounds)"

  # Every secret: the fixed ones, every credential and IMDS token the fake issued (it logs
  # them), and the SigV4 key chain derived from the session secret today.
  {
    printf '%s\n' "$SESSION_SECRET" "$SESSION_TOKEN" "$WEB_TOKEN" "$CONTAINER_TOKEN"
    node -e '
      for (const line of require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean)) {
        const e = JSON.parse(line);
        if (e.issued) console.log(`${e.issued.secretAccessKey}\n${e.issued.sessionToken}`);
        if (e.token) console.log(e.token);
      }
      const { createHmac } = require("crypto");
      const secret = process.argv[2];
      console.log(Buffer.from(`AWS4${secret}`).toString("hex"));
      for (const t of [Date.now() - 86400e3, Date.now()]) {
        let key = Buffer.from(`AWS4${secret}`);
        for (const part of [new Date(t).toISOString().slice(0, 10).replace(/-/g, ""), "us-east-1", "sts", "aws4_request"]) {
          key = createHmac("sha256", key).update(part).digest();
          console.log(key.toString("hex"));
        }
      }' "$SLOW_LOG" "$SESSION_SECRET"
  } >secrets
  [ "$(wc -l <secrets)" -gt 20 ] || fail "too few secrets collected: $(cat secrets)"
  while IFS= read -r secret; do
    [ -n "$secret" ] || continue
    for file in argv.log cmdlines outputs; do
      if grep -qF -e "$secret" "$file"; then
        fail "a secret (${secret:0:6}...) appears in $file: $(grep -F -e "$secret" "$file" | head -c 300)"
      fi
    done
  done <secrets
  assert_clean_plugin_dir
}
