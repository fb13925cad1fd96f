import { describe, expect, it } from "vitest";
import { DiagnosticBag } from "../../compiler/diagnostics/diagnostic.js";
import { renderDiagnostics } from "../../compiler/diagnostics/render.js";
import { readDslDocument } from "../../compiler/frontend/dsl/parse-dsl.js";
import { decodeString, encodeBlock, encodeString } from "../../compiler/frontend/dsl/strings.js";
import { SourceFile } from "../../compiler/source/source-file.js";
import { checkText } from "./support/front-to-check.js";

/** The DSL read as the YAML's data: what each statement and clause means. */
function valueOf(text: string): unknown {
  const bag = new DiagnosticBag();
  const document = readDslDocument(new SourceFile("t.hyp", text), bag);
  expect(renderDiagnostics(bag.sorted())).toBe("");
  return document?.value;
}

describe("the .hyp DSL", () => {
  it("reads every statement and clause as the YAML's keys", () => {
    const text = [
      "version 1",
      "service checkout",
      'import "./packs/db"',
      'probe liveness exec "test -f /ready" timeout 2s',
      'probe readiness http port 8080 path /ready timeout 1s headers { X-Probe = "1" }',
      "probe startup tcp port 8080",
      "cooldown 1m30s",
      "report format text to [stdout, file:/var/log/h.jsonl]",
      "plugin AWS-STS prebuilt",
      '  hypothesis "no AWS"',
      "  parallel",
      "  on liveness failure, periodic",
      "  every 5s",
      "  timeout 60s",
      "  with region us-east-1",
      "  with version 1.10",
      '  when http_2xx -> "stop"',
      "  when timeout -> stop",
      'plugin "stop" script "./x.sh"',
    ].join("\n");
    expect(valueOf(text)).toEqual({
      version: 1,
      service: "checkout",
      imports: ["./packs/db"],
      probes: {
        liveness: { exec: "test -f /ready", timeout: "2s" },
        readiness: { http: { port: 8080, path: "/ready", headers: { "X-Probe": "1" } }, timeout: "1s" },
        startup: { tcp: { port: 8080 } },
        cooldown: "1m30s",
      },
      report: { format: "text", to: ["stdout", "file:/var/log/h.jsonl"] },
      plugins: [
        {
          plugin: {
            name: "AWS-STS",
            type: "prebuilt",
            hypothesis: "no AWS",
            parallel: true,
            trigger: { trigger_type: ["on_liveness_failure", "periodic"], trigger_interval: "5s", trigger_timeout: "60s" },
            with: { region: "us-east-1", version: 1.1 },
            conditionals: [
              { response: "http_2xx", child_name: "stop" },
              { response: "timeout", child_name: null },
            ],
          },
        },
        { plugin: { name: "stop", type: "script", path: "./x.sh" } },
      ],
    });
  });

  it("keeps a parameter's digits as written, like the YAML front end", () => {
    const { program } = checkText("t.hyp", 'plugin s prebuilt AWS-STS\n  with region "1.10"');
    expect(program?.plugins[0]?.action).toMatchObject({ args: [{ name: "region", value: "1.10" }] });
  });

  it("takes the closing line's indentation off a \"\"\" block", () => {
    const text = 'plugin p shell """\n    if true; then\n      echo "a\\\\b"\n    fi\n    """';
    expect(valueOf(text)).toMatchObject({ plugins: [{ plugin: { shell_command: 'if true; then\n  echo "a\\b"\nfi' } }] });
  });

  it("encodes text so that it decodes to itself", () => {
    for (const text of ['a "q" \\ b', "tab\tand\nline", "\u0001 ctrl", "☃", "x\\u{41}"]) {
      expect(decodeString(encodeString(text))).toEqual({ value: text, problems: [] });
    }
    const block = encodeBlock("line 1\n  line 2\n\nend\\\n", "  ")!;
    expect(decodeString(`${block}`)).toEqual({ value: "line 1\n  line 2\n\nend\\\n", problems: [] });
    expect(encodeBlock('has """ inside\nx', "")).toBeUndefined();
  });

  it("says where a clause is given twice", () => {
    const { diagnostics } = checkText("t.hyp", 'plugin p shell "x"\n  timeout 5s\n  timeout 6s');
    expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(["HYP0102 `timeout` is given twice here"]);
    expect(diagnostics[0]!.file.positionOf(diagnostics[0]!.span.start)).toEqual({ line: 3, column: 3 });
  });
});
