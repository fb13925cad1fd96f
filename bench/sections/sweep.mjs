// A diagnostic sweep of 12 checks (3 each of HTTP, TCP, DNS and TLS-CERT) against loopback
// peers, three ways, timed in the same rounds:
//   - hypothecary: one runner with the 12 checks as parallel prebuilts, `dash runner.sh run`;
//     beside it each check alone in a runner of its own (the slowest of those is the target's
//     yardstick);
//   - Debian's monitoring-plugins: check_http, check_tcp, check_dig and check_http -C (the
//     certificate), one after another in one `dash -c`, and each alone;
//   - prometheus-blackbox-exporter, already running: the 12 /probe requests at once, as a
//     Prometheus scrape would send them.
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { compile, fmtMs, fmtRatio, fmtStats, interleaveAsync, table, timeProcess } from "../lib/common.mjs";
import { PLUGINS_DIR } from "../lib/machine.mjs";
import { DNS_NAMES, startBlackbox } from "../lib/peers.mjs";

export const SWEEP_TARGET = 1.3;

/** The 12 checks: the hypothecary prebuilt, the monitoring plugin, the blackbox probe. */
function sweepChecks(peers) {
  const checks = [];
  ["/status/200", "/status/204", "/headers"].forEach((path, i) => {
    checks.push({
      name: `http-${i + 1}`,
      kind: "HTTP",
      prebuilt: "HTTP",
      with: { url: `http://127.0.0.1:${peers.http}${path}`, timeout: "5s" },
      plugin: ["check_http", "-I", "127.0.0.1", "-p", `${peers.http}`, "-u", path, "-t", "5"],
      blackbox: { module: "http_2xx", target: `http://127.0.0.1:${peers.http}${path}` },
    });
  });
  [peers.http, peers.https, peers.tcp].forEach((port, i) => {
    checks.push({
      name: `tcp-${i + 1}`,
      kind: "TCP",
      prebuilt: "TCP",
      with: { host: "127.0.0.1", port, timeout: "3s" },
      plugin: ["check_tcp", "-H", "127.0.0.1", "-p", `${port}`, "-t", "3"],
      blackbox: { module: "tcp_connect", target: `127.0.0.1:${port}` },
    });
  });
  DNS_NAMES.forEach((name, i) => {
    checks.push({
      name: `dns-${i + 1}`,
      kind: "DNS",
      prebuilt: "DNS",
      with: { name, server: `127.0.0.1:${peers.dns}`, expect: [`10.1.2.${i + 1}`], timeout: "5s" },
      plugin: ["check_dig", "-H", "127.0.0.1", "-p", `${peers.dns}`, "-l", name, "-T", "A", "-a", `10.1.2.${i + 1}`, "-t", "5"],
      blackbox: { module: `dns_${i + 1}`, target: `127.0.0.1:${peers.dns}` },
    });
  });
  [14, 7, 1].forEach((days, i) => {
    checks.push({
      name: `tls-${i + 1}`,
      kind: "TLS-CERT",
      prebuilt: "TLS-CERT",
      with: { host: "127.0.0.1", port: peers.https, servername: "a.example", ca_file: peers.ca, min_days: days, timeout: "5s" },
      plugin: ["check_http", "-I", "127.0.0.1", "-p", `${peers.https}`, "--ssl", "--sni", "-H", "a.example", "-C", `${days}`, "-t", "5"],
      blackbox: { module: "tls_cert", target: `127.0.0.1:${peers.https}` },
    });
  });
  return checks;
}

function blackboxConfig(peers) {
  const dns = DNS_NAMES.map(
    (name, i) => `  dns_${i + 1}:
    prober: dns
    timeout: 5s
    dns:
      query_name: ${name}
      query_type: A
      transport_protocol: udp
      preferred_ip_protocol: ip4
      validate_answer_rrs:
        fail_if_not_matches_regexp: ["10\\\\.1\\\\.2\\\\.${i + 1}$"]
`,
  );
  return `modules:
  http_2xx:
    prober: http
    timeout: 5s
    http: { preferred_ip_protocol: ip4 }
  tcp_connect:
    prober: tcp
    timeout: 3s
    tcp: { preferred_ip_protocol: ip4 }
  tls_cert:
    prober: tcp
    timeout: 5s
    tcp:
      preferred_ip_protocol: ip4
      tls: true
      tls_config: { ca_file: ${JSON.stringify(peers.ca)}, server_name: a.example }
${dns.join("")}`;
}

function runnerYaml(checks) {
  const lines = ["service: bench-sweep", "report: { format: json, to: [stdout] }", "plugins:"];
  for (const c of checks) {
    lines.push(`  - plugin: { name: ${c.name}, type: prebuilt, prebuilt: ${c.prebuilt}, parallel: true, with: ${JSON.stringify(c.with)} }`);
  }
  return `${lines.join("\n")}\n`;
}

/** The runner ran and every check passed: the summary line says total N, passed N. */
const allPassed = (n) => (r) => r.status === 0 && new RegExp(`"event":"summary".*"total":${n},"passed":${n},`).test(r.stdout);

export async function sweepSection({ dir, peers, runs }) {
  const checks = sweepChecks(peers);
  const env = { ...process.env, HYP_STATE_DIR: join(dir, "state") };
  const sweepRunner = join(dir, "sweep.sh");
  writeFileSync(join(dir, "sweep.yaml"), runnerYaml(checks));
  compile(join(dir, "sweep.yaml"), sweepRunner);
  const singles = checks.map((c) => {
    const runner = join(dir, `sweep-${c.name}.sh`);
    writeFileSync(join(dir, `sweep-${c.name}.yaml`), runnerYaml([c]));
    compile(join(dir, `sweep-${c.name}.yaml`), runner);
    return runner;
  });
  const plugin = (c) => [join(PLUGINS_DIR, c.plugin[0]), ...c.plugin.slice(1)];
  const quote = (word) => `'${word.replace(/'/g, "'\\''")}'`;
  const sequential = checks.map((c) => plugin(c).map(quote).join(" ")).join(" >/dev/null &&\n") + " >/dev/null";

  const base = await startBlackbox(dir, blackboxConfig(peers));
  const probe = async (c) => {
    const url = `${base}/probe?module=${c.blackbox.module}&target=${encodeURIComponent(c.blackbox.target)}`;
    const body = await (await fetch(url)).text();
    if (!/^probe_success 1$/m.test(body)) throw new Error(`blackbox ${c.blackbox.module} ${c.blackbox.target} failed:\n${body}`);
  };
  const timeAsync = async (f) => {
    const start = process.hrtime.bigint();
    await f();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };

  const thunks = {
    sweep: () => timeProcess("dash", [sweepRunner, "run"], { env, check: allPassed(checks.length) }),
    "monitoring-plugins, one after another": () => timeProcess("dash", ["-c", sequential]),
    "blackbox exporter, 12 probes at once": () => timeAsync(() => Promise.all(checks.map(probe))),
  };
  checks.forEach((c, i) => {
    thunks[`single ${c.name}`] = () => timeProcess("dash", [singles[i], "run"], { env, check: allPassed(1) });
    thunks[`plugin ${c.name}`] = () => timeProcess(plugin(c)[0], plugin(c).slice(1));
    thunks[`blackbox ${c.name}`] = () => timeAsync(() => probe(c));
  });
  const t = await interleaveAsync(thunks, runs, 1);

  const slowest = (prefix) =>
    checks.map((c) => ({ name: c.name, s: t[`${prefix} ${c.name}`] })).reduce((a, b) => (b.s.median > a.s.median ? b : a));
  const slowSingle = slowest("single");
  const sweep = t.sweep;
  const mp = t["monitoring-plugins, one after another"];
  const bb = t["blackbox exporter, 12 probes at once"];
  const ratioSlowest = sweep.median / slowSingle.s.median;
  const ratioMp = sweep.median / mp.median;
  const perCheck = checks.map((c) => [
    `${c.name} (${c.kind})`,
    fmtStats(t[`single ${c.name}`]),
    fmtMs(t[`single ${c.name}`].cpu.median),
    fmtStats(t[`plugin ${c.name}`]),
    fmtMs(t[`plugin ${c.name}`].cpu.median),
    fmtStats(t[`blackbox ${c.name}`]),
  ]);
  const sumOf = (prefix) => checks.reduce((sum, c) => sum + t[`${prefix} ${c.name}`].median, 0);
  const cpuOf = (prefix) => checks.reduce((sum, c) => sum + t[`${prefix} ${c.name}`].cpu.median, 0);
  const cores = cpus().length;
  const body = [
    `Twelve healthy checks against loopback peers: HTTP GETs of three paths, TCP connects to three ` +
      `ports, DNS A lookups of three names on a UDP server (expected address given), and three TLS ` +
      `certificate checks (chain against the test CA, name, days left). ${runs} rounds; each round ` +
      `runs every line below once, in a rotated order; median (p10-p90) of the wall time.`,
    "",
    "- hypothecary: `dash runner.sh run` of one runner holding the 12 checks as `parallel` prebuilts " +
      "(report to stdout; the run is checked to report 12 passed);",
    "- monitoring-plugins (Debian): `check_http`, `check_tcp`, `check_dig` (`check_dns` cannot ask a " +
      "server on another port than 53) and `check_http --ssl -C DAYS` (days left only: it does not " +
      "verify the chain), one after another in one `dash -c`, each checked to exit 0;",
    "- prometheus-blackbox-exporter, started before the rounds with modules http_2xx, tcp_connect, " +
      "dns (one per name) and tcp with TLS: the 12 `/probe` requests sent at once, as a scrape would, " +
      "each checked for `probe_success 1` (a daemon: no process start per check).",
    "",
    table(
      ["sweep of 12 checks", "wall time", "ratio to the hypothecary sweep", "CPU time (user + sys)"],
      [
        ["hypothecary, one runner, 12 parallel prebuilts", fmtStats(sweep), "1.00x", fmtMs(sweep.cpu.median)],
        [`hypothecary, slowest single check alone (${slowSingle.name})`, fmtStats(slowSingle.s), fmtRatio(slowSingle.s.median / sweep.median), fmtMs(slowSingle.s.cpu.median)],
        ["hypothecary, the 12 single-check runs added up (medians)", fmtMs(sumOf("single")), fmtRatio(sumOf("single") / sweep.median), fmtMs(cpuOf("single"))],
        ["monitoring-plugins, one after another", fmtStats(mp), fmtRatio(mp.median / sweep.median), fmtMs(mp.cpu.median)],
        ["blackbox exporter, 12 probes at once", fmtStats(bb), fmtRatio(bb.median / sweep.median), "(a daemon)"],
      ],
    ),
    "",
    `CPU time is that of the process tree (the children's user + system time the kernel counts, in ` +
      `10 ms ticks). On ${cores} cores a run cannot take less wall time than its CPU time / ${cores}: ` +
      `for the hypothecary sweep, ${fmtMs(sweep.cpu.median / cores)}.`,
    "",
    "Each check alone:",
    "",
    table(["check", "hypothecary runner, one plugin", "its CPU time", "monitoring plugin", "its CPU time", "blackbox probe"], perCheck),
  ].join("\n");
  return {
    title: "A diagnostic sweep of 12 checks",
    body,
    targets: [
      {
        name: "sweep wall time over the slowest single check",
        value: fmtRatio(ratioSlowest),
        limit: `<= ${fmtRatio(SWEEP_TARGET)}`,
        met: ratioSlowest <= SWEEP_TARGET,
      },
      {
        name: "sweep wall time over monitoring-plugins one after another",
        value: fmtRatio(ratioMp),
        limit: "< 1.00x",
        met: ratioMp < 1,
      },
    ],
    summary: `sweep ${fmtMs(sweep.median)}, slowest single ${fmtMs(slowSingle.s.median)}, monitoring-plugins ${fmtMs(mp.median)}, blackbox ${fmtMs(bb.median)}`,
  };
}
