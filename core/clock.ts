/**
 * The one clock: code that asks "now" for business logic (slots from now, hold, session and offer
 * expiry, notice and booking windows, flow idle timeouts, "today") asks this, so a test can move it
 * and the suite can run as if it were any date and hour. PostgreSQL's now() is the real time: a query
 * that decides by the time gets the clock's instant as a parameter. A window over a column the database
 * stamps itself (created_at DEFAULT now()) stays on the database's now(): both are real time.
 *
 * Left on real time on purpose: cache lifetimes, Telegram's send limiter and the job runner (Agenda
 * waits in real time; `Scheduler` maps a clock instant to the real one).
 */
export interface Clock {
  now(): Date;
  nowMs(): number;
}

/** A clock `offsetMs` ahead of the real one (behind when negative): it runs on in real time, so timers and expiries still work. */
export class ShiftedClock implements Clock {
  constructor(private offsetMs = 0) {}

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** From now on the clock reads `at` and runs on from there. */
  set(at: Date | string | number): void {
    this.offsetMs = instant(at) - Date.now();
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** A clock of its own that reads the same now: moving it leaves this one alone. */
  fork(): ShiftedClock {
    return new ShiftedClock(this.offsetMs);
  }
}

function instant(at: Date | string | number): number {
  const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) throw new Error(`not an instant: ${String(at)}`);
  return ms;
}

/**
 * The process's clock: the real time, or, when BOOKFLOW_FAKE_NOW holds an ISO instant with its offset
 * (e.g. 2027-02-28T23:30:00+03:00), a clock that starts there when the process starts. For moved-clock test runs.
 */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): ShiftedClock {
  const fake = env.BOOKFLOW_FAKE_NOW?.trim();
  const clock = new ShiftedClock();
  if (fake) clock.set(fake);
  return clock;
}

/** The default of every app in this process (and of tests that compute dates from now). */
export const processClock: ShiftedClock = clockFromEnv();
