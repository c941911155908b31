// What a client may send over the live room's socket. Anything else is a protocol violation.
import type { QuestionStatus } from '@timeshift/shared/db/schema';
import { QUESTION_STATUSES } from './question-rules.ts';

export type LiveCommand =
  | { type: 'ping' }
  | { type: 'ask'; text: string; talkId?: string; atSec?: number; anonymous?: boolean }
  | { type: 'vote'; questionId: string }
  | { type: 'unvote'; questionId: string }
  | { type: 'set_status'; questionId: string; status: QuestionStatus }
  | { type: 'pin'; questionId: string; pinned: boolean }
  | { type: 'extend_timer' };

/** Frames are small commands; the socket refuses anything bigger before it is even parsed. */
export const MAX_FRAME_BYTES = 4096;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Parsed = { command: LiveCommand } | { error: string };

const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

export function parseCommand(frame: string): Parsed {
  let raw: unknown;
  try {
    raw = JSON.parse(frame);
  } catch {
    return { error: 'Messages must be JSON.' };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: 'Messages must be JSON objects with a "type".' };
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ping':
    case 'extend_timer':
      return { command: { type: m.type } };
    case 'vote':
    case 'unvote':
      return isUuid(m.questionId) ? { command: { type: m.type, questionId: m.questionId } } : { error: `"${m.type}" needs a questionId.` };
    case 'set_status':
      if (!isUuid(m.questionId) || !QUESTION_STATUSES.includes(m.status as QuestionStatus)) return { error: '"set_status" needs a questionId and a known status.' };
      return { command: { type: 'set_status', questionId: m.questionId, status: m.status as QuestionStatus } };
    case 'pin':
      if (!isUuid(m.questionId) || typeof m.pinned !== 'boolean') return { error: '"pin" needs a questionId and pinned true or false.' };
      return { command: { type: 'pin', questionId: m.questionId, pinned: m.pinned } };
    case 'ask': {
      if (typeof m.text !== 'string') return { error: '"ask" needs text.' };
      if (m.talkId !== undefined && !isUuid(m.talkId)) return { error: '"talkId" must be a talk id.' };
      if (m.atSec !== undefined && (typeof m.atSec !== 'number' || !Number.isFinite(m.atSec) || m.atSec < 0)) return { error: '"atSec" must be a number of seconds.' };
      if (m.anonymous !== undefined && typeof m.anonymous !== 'boolean') return { error: '"anonymous" must be true or false.' };
      return { command: { type: 'ask', text: m.text, talkId: m.talkId as string | undefined, atSec: m.atSec as number | undefined, anonymous: m.anonymous as boolean | undefined } };
    }
    default:
      return { error: 'Unknown message type.' };
  }
}
