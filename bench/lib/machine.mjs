// What the bench needs (checked before anything runs, naming the Debian package to install) and
// what it ran on (printed at the top of BENCHMARKS.md).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { delimiter, join } from "node:path";
import { ROOT } from "./common.mjs";

export const PLUGINS_DIR = "/usr/lib/nagios/plugins";

/** [command or absolute path, Debian package]: what `npm run bench` cannot do without. */
const NEEDS = [
  ["dash", "dash"],
  ["busybox", "busybox"],
  ["curl", "curl"],
  ["nc", "netcat-openbsd"],
  ["openssl", "openssl"],
  [`${PLUGINS_DIR}/check_http`, "monitoring-plugins-basic"],
  [`${PLUGINS_DIR}/check_tcp`, "monitoring-plugins-basic"],
  [`${PLUGINS_DIR}/check_dig`, "monitoring-plugins-standard"],
  ["dig", "bind9-dnsutils"],
  ["prometheus-blackbox-exporter", "prometheus-blackbox-exporter"],
];

/** The Debian packages bench/setup.sh installs. */
export const PACKAGES = [...new Set(NEEDS.map(([, pkg]) => pkg))];

export function which(cmd) {
  if (cmd.includes("/")) return existsSync(cmd) ? cmd : undefined;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const path = join(dir, cmd);
    if (dir && existsSync(path)) return path;
  }
  return undefined;
}

/** Throws one message naming every missing tool and its package (and a missing build). */
export function checkRequirements() {
  const missing = NEEDS.filter(([cmd]) => !which(cmd));
  const problems = [];
  if (missing.length > 0) {
    const pkgs = [...new Set(missing.map(([, pkg]) => pkg))];
    problems.push(
      `missing: ${missing.map(([cmd, pkg]) => `${cmd} (Debian package ${pkg})`).join(", ")}\n` +
        `install them with: sudo sh bench/setup.sh   (apt-get install -y --no-install-recommends ${pkgs.join(" ")})`,
    );
  }
  if (!existsSync(join(ROOT, "dist", "cli", "main.js"))) problems.push("the compiler is not built: npm run build");
  if (problems.length > 0) throw new Error(`npm run bench cannot run:\n${problems.join("\n")}`);
}

function firstLine(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: "utf8" });
  return `${r.stdout ?? ""}${r.stderr ?? ""}`.split("\n").find((l) => l.trim() !== "")?.trim() ?? "?";
}

function debVersion(pkg) {
  const r = spawnSync("dpkg-query", ["-W", "-f", "${Version}", pkg], { encoding: "utf8" });
  return r.status === 0 && r.stdout ? r.stdout : "?";
}

/** Markdown lines: the machine, its load, and the versions of everything measured. */
export function machineInfo() {
  const cpu = cpus();
  let os = release();
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync("/etc/os-release", "utf8"));
    if (pretty) os = `${pretty[1]}, kernel ${release()}`;
  } catch {
    // no os-release
  }
  const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
  const rows = [
    ["CPU", `${cpu[0]?.model.trim() ?? "?"}, ${cpu.length} cores`],
    ["memory", `${(totalmem() / 2 ** 30).toFixed(1)} GiB`],
    ["system", os],
    ["load average at start", loadavg().map((x) => x.toFixed(2)).join(", ")],
    ["hypothecary", version],
    ["node", process.version],
    ["dash", `${debVersion("dash")} (Debian)`],
    ["busybox", firstLine("busybox", []).replace(/ multi-call binary\.?/, "")],
    ["curl", firstLine("curl", ["--version"]).split(" ").slice(0, 2).join(" ")],
    ["netcat-openbsd", debVersion("netcat-openbsd")],
    ["openssl", firstLine("openssl", ["version"])],
    ["monitoring-plugins", debVersion("monitoring-plugins-basic")],
    ["prometheus-blackbox-exporter", debVersion("prometheus-blackbox-exporter")],
    ["bind9-dnsutils (dig)", debVersion("bind9-dnsutils")],
  ];
  return rows;
}
