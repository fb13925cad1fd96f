import { describe, expect, test } from "vitest";
import { RESPONSE_SUGGESTIONS, RESPONSE_WORDS, checkResponse, isValidResponse } from "../../compiler/model/response.js";

describe("responses", () => {
  test.each([
    "success",
    "failure",
    "timeout",
    "error",
    "skipped",
    "exit_0",
    "exit_1",
    "exit_255",
    "http_2xx",
    "http_3xx",
    "http_4xx",
    "http_5xx",
    "http_100",
    "http_200",
    "http_599",
    "not_success",
    "not_http_2xx",
    "not_exit_3",
    "not_http_404",
  ])("%s is valid", (response) => {
    expect(checkResponse(response)).toEqual({ ok: true });
  });

  test.each([
    ["sucess", "unknown response", "did you mean `success`?"],
    ["HTTP_2XX", "unknown response", "did you mean `http_2xx`?"],
    ["http200", "unknown response", "did you mean `http_200`?"],
    ["not_http404", "unknown response", "did you mean `not_http_404`?"],
    ["exit_256", "from 0 to 255", undefined],
    ["exit_01", "no leading zeros", "write `exit_1`"],
    ["exit_", "unknown response", undefined],
    ["http_600", "from 100 to 599", undefined],
    ["http_099", "from 100 to 599", undefined],
    ["http_1xx", "unknown response", undefined],
    ["http_20", "unknown response", undefined],
    ["not_not_success", "negates a negation", "write `success` instead"],
    ["not_not_not_failure", "negates a negation", "write `not_failure` instead"],
    ["not_", "unknown response", undefined],
    ["", "unknown response", undefined],
  ])("%j is rejected", (response, words, help) => {
    const result = checkResponse(response);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(words);
    if (help !== undefined) expect(result.help).toBe(help);
  });

  test("a suggestion is always a valid response", () => {
    for (const word of RESPONSE_SUGGESTIONS) expect(isValidResponse(word)).toBe(true);
    expect(RESPONSE_SUGGESTIONS).toHaveLength(RESPONSE_WORDS.length * 2);
  });

  test("the fixed words are the ones SPEC.md names", () => {
    expect([...RESPONSE_WORDS]).toEqual(["success", "failure", "timeout", "error", "skipped", "http_2xx", "http_3xx", "http_4xx", "http_5xx"]);
  });
});
