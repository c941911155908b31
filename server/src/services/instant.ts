import { errors } from '../errors.ts';

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/i;

/**
 * An ISO-8601 instant with an explicit zone. "2026-03-02T09:00" names a different moment in every office
 * of a company, so it is refused rather than guessed.
 */
export function parseInstant(value: string, field: string): Date {
  const m = ISO.exec(value.trim());
  const at = new Date(value);
  if (!m || Number.isNaN(at.getTime())) {
    throw errors.badRequest('INVALID_TIMESTAMP', `${field} must be an ISO-8601 time such as 2026-03-02T09:00:00Z; got "${value}".`);
  }
  if (!m[8]) {
    throw errors.badRequest('MISSING_TIME_ZONE', `${field} has no time zone. Add "Z" for UTC or an offset such as +01:00 ("${value}").`);
  }
  return at;
}
