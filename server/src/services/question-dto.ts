import type { QuestionStatus } from '@timeshift/shared/db/schema';
import type { QuestionRow } from '../repositories/questions.ts';

/** A question as every response and event shows it; the one place that decides whether the author is named. */
export interface QuestionView {
  id: string;
  meetingId: string;
  text: string;
  votes: number;
  status: QuestionStatus;
  pinned: boolean;
  talkId?: string;
  atSec?: number;
  author?: { id: string; name: string };
  createdAt: string;
  /** Present once answered: live in the Q&A, or later in text and perhaps a moment of a talk. */
  answer?: { live: boolean; answeredAt: string; text?: string; talkId?: string; atSec?: number };
}

export function questionView(q: QuestionRow): QuestionView {
  return {
    id: q.id,
    meetingId: q.meeting_id,
    text: q.text,
    votes: q.vote_count,
    status: q.status,
    pinned: q.pinned,
    talkId: q.talk_id ?? undefined,
    atSec: q.at_sec ?? undefined,
    // Anonymous means anonymous to everyone, facilitators and admins included.
    author: q.anonymous || !q.author_id ? undefined : { id: q.author_id, name: q.author_name ?? '' },
    createdAt: q.created_at.toISOString(),
    answer:
      q.status === 'answered' && q.answered_at
        ? { live: q.answered_live, answeredAt: q.answered_at.toISOString(), text: q.answer_text ?? undefined, talkId: q.answer_talk_id ?? undefined, atSec: q.answer_at_sec ?? undefined }
        : undefined,
  };
}

/** The per-person view for HTTP answers: whether they voted, and whether it is theirs to edit. */
export function questionViewFor(q: QuestionRow, viewerId: string, votedByMe: boolean) {
  return { ...questionView(q), votedByMe, mine: q.author_id === viewerId };
}
