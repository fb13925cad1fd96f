/**
 * A CronJob schedule for a `periodic` interval. Cron counts whole minutes, and a step that does
 * not divide its field (7 in the minute field) restarts at the top of each hour, leaving a short
 * gap. So the interval is rounded UP to whole minutes, then up to the next step that divides the hour
 * (or the day, for hours): the CronJob never runs the plugins more often than the config asks.
 * Beyond a day, a step in the day-of-month field restarts each month: close enough for diagnostics.
 */
export interface CronSchedule {
  /** The five-field cron expression. */
  readonly schedule: string;
  /** The spacing it gives, in minutes (approximate beyond a day). */
  readonly everyMinutes: number;
  /** In words, for the summary: "every 5 minutes". */
  readonly text: string;
}

const MINUTE_STEPS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60] as const;
const HOUR_STEPS = [2, 3, 4, 6, 8, 12, 24] as const;

export function cronSchedule(intervalMs: number): CronSchedule {
  const minutes = Math.max(1, Math.ceil(intervalMs / 60_000));
  if (minutes <= 60) {
    const step = MINUTE_STEPS.find((s) => s >= minutes)!;
    if (step === 1) return { schedule: "* * * * *", everyMinutes: 1, text: "every minute" };
    if (step === 60) return { schedule: "0 * * * *", everyMinutes: 60, text: "every hour" };
    return { schedule: `*/${step} * * * *`, everyMinutes: step, text: `every ${step} minutes` };
  }
  const hours = Math.ceil(minutes / 60);
  if (hours <= 24) {
    const step = HOUR_STEPS.find((s) => s >= hours)!;
    if (step === 24) return { schedule: "0 0 * * *", everyMinutes: 1440, text: "every day" };
    return { schedule: `0 */${step} * * *`, everyMinutes: step * 60, text: `every ${step} hours` };
  }
  const days = Math.ceil(hours / 24);
  if (days <= 31) return { schedule: `0 0 */${days} * *`, everyMinutes: days * 1440, text: `every ${days} days` };
  return { schedule: "0 0 1 * *", everyMinutes: 31 * 1440, text: "every month" };
}
