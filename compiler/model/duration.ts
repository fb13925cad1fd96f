/**
 * Durations as users write them: a number of seconds (`5`, `0.5`) or a string of one or more
 * `<number><unit>` parts with units `h`, `m`, `s`, `ms` in decreasing order (`500ms`, `30s`,
 * `5m`, `1h`, `1m30s`), or a bare number string (`"5"`, seconds).
 *
 * The runner counts milliseconds with shell arithmetic, which is 32-bit in mksh; capping
 * durations at a day keeps every sum the runner makes far from overflow.
 */

export type DurationResult = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly message: string };

export const MAX_DURATION_MS = 24 * 60 * 60 * 1000;

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
/** Largest first: `1m30s` is accepted, `30s1m` is not (it is almost always a typo). */
const UNIT_ORDER: readonly Unit[] = ["h", "m", "s", "ms"];

const NUMBER = /^\d+(?:\.\d+)?$/;
/** `ms` before `m` and `s`, so `500ms` is one part. */
const PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;

const FORMAT_HINT = "(use seconds like `5` or `0.5`, or `500ms`, `30s`, `5m`, `1h`, `1m30s`)";

export function parseDuration(value: string | number): DurationResult {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return fail(`\`${String(value)}\` is not a duration ${FORMAT_HINT}`);
    return fromMilliseconds(value * 1000, String(value));
  }
  const text = value;
  if (text === "") return fail(`the duration is empty ${FORMAT_HINT}`);
  if (NUMBER.test(text)) return fromMilliseconds(Number(text) * 1000, text);

  let total = 0;
  let offset = 0;
  let previous = -1;
  PART.lastIndex = 0;
  while (offset < text.length) {
    PART.lastIndex = offset;
    const match = PART.exec(text);
    if (!match) {
      if (/\s/.test(text)) return fail(`\`${text}\` is not a duration (write it without spaces, e.g. \`1m30s\`)`);
      return fail(`\`${text}\` is not a duration ${FORMAT_HINT}`);
    }
    const unit = match[2] as Unit;
    const rank = UNIT_ORDER.indexOf(unit);
    if (rank <= previous) {
      return fail(`\`${text}\` is not a duration (write its parts from hours down to milliseconds, each once, e.g. \`1m30s\`)`);
    }
    previous = rank;
    total += Number(match[1]) * UNIT_MS[unit];
    offset = PART.lastIndex;
  }
  return fromMilliseconds(total, text);
}

function fromMilliseconds(raw: number, written: string): DurationResult {
  // Decimal input such as 0.1 * 1000 is not exact in binary floating point; a thousandth of a
  // millisecond of slack separates "whole milliseconds" from a real fraction.
  const ms = Math.round(raw);
  if (Math.abs(raw - ms) > 1e-6) return fail(`\`${written}\` is not a whole number of milliseconds`);
  if (ms <= 0) return fail(`\`${written}\` must be longer than zero`);
  if (ms > MAX_DURATION_MS) return fail(`\`${written}\` is longer than the maximum of 24h`);
  return { ok: true, ms };
}

function fail(message: string): DurationResult {
  return { ok: false, message };
}

/** Seconds as the runner and prebuilts take them: `5`, `0.5`, `90`, `0.001`. */
export function formatSeconds(ms: number): string {
  const whole = Math.floor(ms / 1000);
  const fraction = ms - whole * 1000;
  if (fraction === 0) return String(whole);
  return `${whole}.${String(fraction).padStart(3, "0").replace(/0+$/, "")}`;
}
