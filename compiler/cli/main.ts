import { Command, CommanderError } from "commander";
import { formOf, loadDslFrontEnd } from "../frontend/parse-config.js";
import type { CompileOptions } from "./commands/compile.js";
import type { ConvertOptions } from "./commands/convert.js";
import type { GraphOptions } from "./commands/graph.js";
import type { InitOptions } from "./commands/init.js";
import type { K8sCommandOptions } from "./commands/k8s.js";
import type { PluginsOptions } from "./commands/plugins.js";
import type { SchemaOptions } from "./commands/schema.js";
import type { ValidateOptions } from "./commands/validate.js";
import { type CliIo, ExitCode } from "./io.js";
import { packageVersion } from "./load-library.js";

/**
 * The `hypothecary` program. Returns the exit status instead of exiting, for tests.
 *
 * Each command's module is imported when that command runs, and the DSL front end only when a
 * .hyp file is named: a cold `compile` of a YAML config then loads neither the converter nor
 * chevrotain, which were most of its start-up time.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let status: number = ExitCode.ok;
  if (argv.some((arg) => formOf(arg) === "hyp")) await loadDslFrontEnd();
  const program = new Command("hypothecary")
    .description("Compile runbook hypotheses into one portable POSIX sh runner.")
    .version(packageVersion(), "-V, --version")
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError("(run `hypothecary --help` for usage)");

  program
    .command("compile")
    .description("compile a config into a runner (stdout, or -o FILE)")
    .argument("<config>", "the config: YAML, or the DSL in a .hyp file")
    .option("-o, --output <file>", "write the runner to FILE (replaced only when compilation succeeds)")
    .option("--check", "exit 1 if FILE differs from what would be compiled (for CI)")
    .option("--source-lines", "name the config file and each block's file:line in the runner")
    .option("--comments", "keep the comments of the runtime and prebuilt code (left out by default)")
    .action(async (config: string, options: CompileOptions) => {
      const { compileCommand } = await import("./commands/compile.js");
      status = compileCommand(io, config, options);
    });

  program
    .command("convert")
    .description("convert a config between YAML and the .hyp DSL (stdout, or -o FILE)")
    .argument("<file>", "a YAML config or a .hyp file")
    .option("-o, --output <file>", "write the converted config to FILE (replaced only on success)")
    .option("--to <form>", "yaml or hyp (default: the other form)")
    .option("--check", "exit 1 if FILE differs from what would be written (for CI)")
    .action(async (file: string, options: ConvertOptions) => {
      const { convertCommand } = await import("./commands/convert.js");
      status = convertCommand(io, file, options);
    });

  program
    .command("validate")
    .description("check a config and report every problem")
    .argument("<config>", "the config: YAML, or the DSL in a .hyp file")
    .option("--format <format>", "text, json (one document on stdout) or github (workflow annotations)", "text")
    .action(async (config: string, options: ValidateOptions) => {
      const { validateCommand } = await import("./commands/validate.js");
      status = validateCommand(io, config, options);
    });

  program
    .command("run")
    .description("compile to a temporary runner and run it (runner arguments default to `run`)")
    .argument("<config>", "the config: YAML, or the DSL in a .hyp file")
    .argument("[runner-args...]", "arguments for the runner, e.g. run --trigger periodic, or list")
    .passThroughOptions()
    .allowUnknownOption()
    .action(async (config: string, runnerArgs: string[]) => {
      const { runCommand } = await import("./commands/run.js");
      status = await runCommand(io, config, runnerArgs);
    });

  program
    .command("k8s")
    .description("write a kustomize component: the runner as a ConfigMap, probe patch, CronJob or sidecar")
    .argument("<config>", "the config: YAML, or the DSL in a .hyp file")
    .requiredOption("-o, --output <dir>", "the folder to write (replaced only when it is a previous k8s output)")
    .option("--name <name>", "the Deployment to patch (default: the config's service)")
    .option("--namespace <ns>", "namespace of the objects and the patched Deployment")
    .option("--container <name>", "the Deployment's container that gets the probes (default: --name)")
    .option("--mount <path>", "where the runner is mounted (default: /etc/hypothecary)")
    .option("--image <image>", "image of the CronJob and the sidecar (default: busybox:1.36)")
    .option("--periodic <mode>", "what runs periodic plugins: cronjob or sidecar (default: cronjob)")
    .action(async (config: string, options: K8sCommandOptions) => {
      const { k8sCommand } = await import("./commands/k8s.js");
      status = k8sCommand(io, config, options);
    });

  program
    .command("plugins")
    .description("list the prebuilt plugins and their parameters")
    .option("--format <format>", "text or json", "text")
    .option("--config <file>", "also list the prebuilts of the plugin packs this config imports, and which of its plugins run each")
    .option("--used", "with --config: only the prebuilts its plugins run (what its runner has compiled in)")
    .action(async (options: PluginsOptions) => {
      const { pluginsCommand } = await import("./commands/plugins.js");
      status = pluginsCommand(io, options);
    });

  program
    .command("init")
    .description("write a commented starter config that validates, compiles and runs as written")
    .option("-o, --output <file>", "the file to write (default: hypothecary.yaml, or .hyp); - for stdout")
    .option("--service <name>", "the service's name (default: this folder's name)")
    .option("--probe-command <cmd>", "the liveness probe runs this command (exit 0: healthy)")
    .option("--probe-http-port <n>", "the liveness probe GETs http://127.0.0.1:N/PATH")
    .option("--probe-path <path>", "with --probe-http-port: the path (default: /healthz)")
    .option("--probe-tcp-port <n>", "the liveness probe connects to 127.0.0.1:N")
    .option("--prebuilts <list>", "comma-separated prebuilts to start with (default: what the probe can check, DISK, CGROUP-MEMORY)")
    .option("--with <PREBUILT.PARAM=VALUE>", "a prebuilt's parameter (repeatable)", (value: string, previous: string[]) => [...previous, value], [])
    .option("--format <form>", "yaml or hyp (default: from -o's extension, else yaml)")
    .option("--force", "replace the file if it exists")
    .action(async (options: InitOptions) => {
      // init checks what it writes, and it may write the DSL without a .hyp name in argv.
      await loadDslFrontEnd();
      const { initCommand } = await import("./commands/init.js");
      status = initCommand(io, options);
    });

  program
    .command("graph")
    .description("draw the chains: plugins, conditionals, triggers (Mermaid or Graphviz DOT)")
    .argument("<config>", "the config: YAML, or the DSL in a .hyp file")
    .option("--format <format>", "mermaid or dot", "mermaid")
    .option("-o, --output <file>", "write the graph to FILE")
    .action(async (config: string, options: GraphOptions) => {
      const { graphCommand } = await import("./commands/graph.js");
      status = graphCommand(io, config, options);
    });

  program
    .command("schema")
    .description("print the JSON Schema of the YAML config, for editors (yaml-language-server)")
    .option("-o, --output <file>", "write the schema to FILE")
    .option("--check", "exit 1 if FILE differs from what would be written (for CI)")
    .action(async (options: SchemaOptions) => {
      const { schemaCommand } = await import("./commands/schema.js");
      status = schemaCommand(io, options);
    });

  if (argv.length === 0) {
    io.stderr.write(program.helpInformation());
    return ExitCode.usage;
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with 0; anything else is a usage error.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    throw error;
  }
  return status;
}
