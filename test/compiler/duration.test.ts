import { describe, expect, test } from "vitest";
import { formatSeconds, parseDuration } from "../../compiler/model/duration.js";

describe("parseDuration", () => {
  test.each([
    [5, 5_000],
    [0.5, 500],
    [2.5, 2_500],
    [3600, 3_600_000],
    ["5", 5_000],
    ["0.25", 250],
    ["500ms", 500],
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h", 3_600_000],
    ["1m30s", 90_000],
    ["1h30m", 5_400_000],
    ["2h15m30s500ms", 8_130_500],
    ["1.5h", 5_400_000],
    ["0.1s", 100],
    ["24h", 86_400_000],
  ] as const)("%j is %i ms", (input, ms) => {
    expect(parseDuration(input)).toEqual({ ok: true, ms });
  });

  test.each([
    [0, "longer than zero"],
    [-5, "longer than zero"],
    ["0s", "longer than zero"],
    ["", "empty"],
    ["90x", "is not a duration"],
    ["5 s", "without spaces"],
    ["1m 30s", "without spaces"],
    ["30s1m", "from hours down"],
    ["1s1s", "from hours down"],
    ["1.5ms", "whole number of milliseconds"],
    [0.0001, "whole number of milliseconds"],
    ["-5s", "is not a duration"],
    ["5S", "is not a duration"],
    [".5", "is not a duration"],
    ["48h", "maximum of 24h"],
    [Number.POSITIVE_INFINITY, "is not a duration"],
    [Number.NaN, "is not a duration"],
  ] as const)("%j is rejected (%s)", (input, words) => {
    const result = parseDuration(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(words);
  });
});

describe("formatSeconds", () => {
  test.each([
    [5_000, "5"],
    [500, "0.5"],
    [90_000, "90"],
    [1_500, "1.5"],
    [1, "0.001"],
    [10, "0.01"],
    [250, "0.25"],
    [86_400_000, "86400"],
  ])("%i ms is %s", (ms, text) => {
    expect(formatSeconds(ms)).toBe(text);
  });

  test("round-trips through parseDuration", () => {
    for (const ms of [1, 7, 120, 999, 1000, 1001, 61_500, 3_600_000]) {
      expect(parseDuration(formatSeconds(ms))).toEqual({ ok: true, ms });
    }
  });
});
