// The healthy probe against the bare check (issue 3 item 4, issue 8). For each check and shell,
// compiles a config whose liveness probe is that check, then times, interleaved, N runs each of
// `SHELL -c CHECK` (the check alone, as the probe's own command line would run it) and
// `SHELL runner.sh probe liveness`. The ratio of the medians is the overhead.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { compile, fmtRatio, fmtStats, interleave, table, timeProcess } from "../lib/common.mjs";

export const PROBE_TARGET = 1.5;

const SHELLS = [
  { label: "dash", argv: ["dash"] },
  { label: "busybox sh", argv: ["busybox", "sh"] },
];

/** The checks: the probe YAML, and the command the probe runs for it, as `sh -c` would run it. */
function checks(peers) {
  const url = `http://127.0.0.1:${peers.http}/status/200`;
  return [
    {
      key: "exec: test builtins (inline)",
      label: 'exec, test builtins: `test -d "$HOME"`',
      probe: { exec: 'test -d "$HOME"' },
      bare: 'test -d "$HOME"',
    },
    {
      key: "exec: cat",
      label: "exec, one program: `cat /proc/loadavg`",
      probe: { exec: "cat /proc/loadavg >/dev/null" },
      bare: "cat /proc/loadavg >/dev/null",
    },
    {
      key: "exec: curl",
      label: "exec, an HTTP request: `curl -fsS URL`",
      probe: { exec: `curl -fsS -o /dev/null ${url}` },
      bare: `curl -fsS -o /dev/null ${url}`,
    },
    {
      key: "http probe",
      label: "http probe (curl) vs `curl URL`",
      probe: { http: { port: peers.http, path: "/status/200" } },
      bare: `curl -sk -o /dev/null -w '%{http_code}' --max-time 1 ${url}`,
    },
    {
      key: "tcp probe",
      label: "tcp probe (nc) vs `nc -z`",
      probe: { tcp: { port: peers.tcp } },
      bare: `nc -z -w 1 127.0.0.1 ${peers.tcp} </dev/null`,
    },
  ];
}

export function probeSection({ dir, peers, runs }) {
  const rows = [];
  const results = [];
  checks(peers).forEach((check, i) => {
    const config = join(dir, `probe-${i}.yaml`);
    const runner = join(dir, `probe-${i}.sh`);
    writeFileSync(
      config,
      `service: bench\nprobes:\n  liveness: ${JSON.stringify(check.probe)}\nplugins:\n` +
        `  - plugin: { name: noop, type: shell, shell_command: "true" }\n`,
    );
    compile(config, runner);
    for (const shell of SHELLS) {
      const [cmd, ...pre] = shell.argv;
      const healthy = (r) => r.status === 0 && r.stdout === "hypothecary liveness: ok\n";
      const timed = interleave(
        {
          bare: () => timeProcess(cmd, [...pre, "-c", check.bare]).ms,
          probe: () => timeProcess(cmd, [...pre, runner, "probe", "liveness"], { check: healthy }).ms,
        },
        runs,
        3,
      );
      const ratio = timed.probe.median / timed.bare.median;
      results.push({ check: check.label, key: check.key, shell: shell.label, ratio });
      rows.push([check.label, shell.label, fmtStats(timed.bare), fmtStats(timed.probe), fmtRatio(ratio)]);
    }
  });
  const worst = results.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  return {
    title: "The healthy probe against the bare check",
    body: [
      `\`SHELL -c CHECK\` against \`SHELL runner.sh probe liveness\` for a runner whose liveness probe is ` +
        `that check, ${runs} runs each, interleaved (after 3 warm-up rounds); median (p10-p90) of the ` +
        `process wall time. For the http and tcp probes the bare check is the curl or nc command the ` +
        `probe runs. The peers are the test suite's loopback HTTP and TCP servers.`,
      "",
      table(["check", "shell", "bare `SHELL -c CHECK`", "`SHELL runner.sh probe liveness`", "ratio"], rows, ["l", "l", "r", "r", "r"]),
    ].join("\n"),
    targets: results.map((r) => ({
      name: `healthy probe overhead, ${r.key} (${r.shell})`,
      value: fmtRatio(r.ratio),
      limit: `<= ${fmtRatio(PROBE_TARGET)}`,
      met: r.ratio <= PROBE_TARGET,
    })),
    summary: `worst ${fmtRatio(worst.ratio)} (${worst.check}, ${worst.shell})`,
  };
}
