import { describe, expect, test } from "vitest";
import { closest, didYouMean } from "../../compiler/diagnostics/did-you-mean.js";
import { TRIGGER_TYPES } from "../../compiler/model/model.js";

describe("did you mean", () => {
  const plugins = ["plugin-do-something", "plugin-do-something-else", "AWS-STS", "call-openai"];

  test("finds one-letter slips", () => {
    expect(closest("plugin-do-somthing", plugins)).toBe("plugin-do-something");
    expect(closest("AWS-ST", plugins)).toBe("AWS-STS");
    expect(closest("call-opneai", plugins)).toBe("call-openai");
  });

  test("ignores case", () => {
    expect(closest("aws-sts", plugins)).toBe("AWS-STS");
  });

  test("prefers the closer of two candidates", () => {
    expect(closest("plugin-do-something-els", plugins)).toBe("plugin-do-something-else");
  });

  test("suggests nothing when nothing is close", () => {
    expect(closest("database", plugins)).toBeUndefined();
    expect(didYouMean("database", plugins)).toBeUndefined();
  });

  test("knows the trigger types", () => {
    expect(closest("on_liveness_fail", TRIGGER_TYPES)).toBe("on_liveness_failure");
    expect(closest("on-readiness-failure", TRIGGER_TYPES)).toBe("on_readiness_failure");
    expect(closest("periodical", TRIGGER_TYPES)).toBe("periodic");
  });

  test("does not depend on the candidates' order", () => {
    const shuffled = [...plugins].reverse();
    expect(closest("plugin-do-somthing", shuffled)).toBe(closest("plugin-do-somthing", plugins));
  });

  test("words the suggestion", () => {
    expect(didYouMean("shell_comand", ["shell_command", "path"])).toBe("did you mean `shell_command`?");
  });
});
