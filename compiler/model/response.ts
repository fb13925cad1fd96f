import { didYouMean } from "../diagnostics/did-you-mean.js";

/**
 * The responses a conditional can match (SPEC.md, "Semantics"). The runner computes, for each
 * finished plugin, the set of responses it produced (`success exit_0 http_2xx http_200`, …) and
 * follows every conditional whose response is in the set; `not_X` matches when X is not.
 */

/** The words that are responses by themselves; `exit_N` and `http_NNN` are open families. */
export const RESPONSE_WORDS = [
  "success",
  "failure",
  "timeout",
  "error",
  "skipped",
  "http_2xx",
  "http_3xx",
  "http_4xx",
  "http_5xx",
] as const;

/** Every fixed spelling, negations included: the candidates for "did you mean". */
export const RESPONSE_SUGGESTIONS: readonly string[] = [...RESPONSE_WORDS, ...RESPONSE_WORDS.map((word) => `not_${word}`)];

/** A problem comes with words for the user: a message and, when it helps, advice. */
export type ResponseCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly message: string; readonly help?: string | undefined };

const NEGATION = "not_";

export function checkResponse(response: string): ResponseCheck {
  if (response.startsWith(NEGATION + NEGATION)) {
    const positive = response.replace(/^(?:not_not_)+/, "");
    return {
      ok: false,
      message: `response \`${response}\` negates a negation`,
      help: `write \`${positive}\` instead`,
    };
  }
  const negated = response.startsWith(NEGATION);
  const base = negated ? response.slice(NEGATION.length) : response;
  const problem = checkPositive(base);
  if (problem === undefined) return { ok: true };
  if (problem === UNKNOWN) {
    return { ok: false, message: `unknown response \`${response}\``, help: suggestionFor(response) ?? RESPONSE_LIST };
  }
  return { ok: false, message: `invalid response \`${response}\`: ${problem.why}`, help: problem.help };
}

const UNKNOWN = "unknown" as const;

/** A close fixed word, or the family a number was meant for (`http200`, `HTTP-404`, `exit 1`). */
function suggestionFor(response: string): string | undefined {
  const family = /^(not_)?(http|exit)[-_ ]?(\d+)$/i.exec(response);
  if (family) return `did you mean \`${family[1] ?? ""}${family[2]!.toLowerCase()}_${family[3]!}\`?`;
  return didYouMean(response, RESPONSE_SUGGESTIONS);
}
const RESPONSE_LIST =
  "the responses are success, failure, timeout, error, skipped, exit_N, http_2xx … http_5xx, http_NNN, and not_X for any of them";

export function isValidResponse(response: string): boolean {
  return checkResponse(response).ok;
}

/** Why `word` is not a positive response, or `undefined` when it is one. */
function checkPositive(word: string): { why: string; help?: string } | typeof UNKNOWN | undefined {
  if ((RESPONSE_WORDS as readonly string[]).includes(word)) return undefined;
  const exit = /^exit_(\d+)$/.exec(word);
  if (exit) {
    const digits = exit[1]!;
    // The runner compares `exit_$status` as text, so `exit_01` would never match.
    if (digits.length > 1 && digits.startsWith("0")) {
      return { why: "exit statuses have no leading zeros", help: `write \`exit_${String(Number(digits))}\`` };
    }
    return Number(digits) <= 255 ? undefined : { why: "exit statuses go from 0 to 255" };
  }
  const http = /^http_(\d{3})$/.exec(word);
  if (http) {
    const status = Number(http[1]);
    return status >= 100 && status <= 599 ? undefined : { why: "HTTP statuses go from 100 to 599" };
  }
  return UNKNOWN;
}
