// When a meeting's notices go out, shared by the API (which schedules them) and the worker (which sends them).
export const REMINDER_BEFORE_CLOSE_MS = 24 * 3600_000;
export const QA_NOTICE_BEFORE_MS = 15 * 60_000;
/** A person counts as done with a talk at this share watched: reminders skip them, insights count them finished. */
export const FINISHED_COMPLETION = 0.9;
