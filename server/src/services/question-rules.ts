// The pure rules of questions: what may be asked, who sees what, and how lists are ranked.
import type { LiveAudience, QuestionStatus } from '@timeshift/shared/db/schema';
import { AppError, errors } from '../errors.ts';
import type { MeetingPhase } from './meeting-phase.ts';

export const QUESTION_MAX_CHARS = 500;
export const QUESTIONS_PER_PERSON = 20;
export const QUESTION_STATUSES: readonly QuestionStatus[] = ['pending', 'approved', 'hidden', 'answering', 'answered'];

/** Statuses everyone in the audience sees; pending and hidden are for moderators (and a pending one for its author). */
const PUBLIC_STATUSES: ReadonlySet<QuestionStatus> = new Set(['approved', 'answering', 'answered']);
const VOTABLE_STATUSES: ReadonlySet<QuestionStatus> = new Set(['approved', 'answering']);

export function isPublic(status: QuestionStatus): boolean {
  return PUBLIC_STATUSES.has(status);
}

/** Plain text, trimmed; length counted in characters a person sees, not UTF-16 units. */
export function cleanQuestionText(raw: string): string {
  const text = raw.trim();
  const length = [...text].length;
  if (length === 0) throw errors.badRequest('QUESTION_EMPTY', 'Write a question before sending it.');
  if (length > QUESTION_MAX_CHARS) {
    throw errors.badRequest('QUESTION_TOO_LONG', `A question can be at most ${QUESTION_MAX_CHARS} characters; this one has ${length}.`);
  }
  return text;
}

/** Asking and voting run while the window is open and through the live Q&A. */
export function assertCanParticipate(phase: MeetingPhase): void {
  if (phase === 'scheduled') throw errors.conflict('QUESTIONS_NOT_OPEN', 'Questions open when the viewing window opens.');
  if (phase === 'closed') throw errors.conflict('QUESTIONS_CLOSED', 'The live Q&A has ended; questions and votes are closed.');
}

/** Authors may change their minds until the live Q&A starts and the question is taken up. */
export function assertCanEditOwn(phase: MeetingPhase, status: QuestionStatus): void {
  if (phase !== 'open') throw errors.conflict('QUESTION_LOCKED', 'Questions can only be edited or deleted until the live Q&A starts.');
  if (status === 'answering' || status === 'answered') throw errors.conflict('QUESTION_LOCKED', 'This question is already being answered.');
}

export function assertVotable(q: { status: QuestionStatus; merged_into: string | null }): void {
  if (q.merged_into) throw errors.conflict('QUESTION_MERGED', 'This question was merged into another one; vote on that one.');
  if (!VOTABLE_STATUSES.has(q.status)) {
    const why = q.status === 'answered' ? 'has been answered' : q.status === 'pending' ? 'is waiting for approval' : 'is hidden';
    throw errors.conflict('QUESTION_NOT_VOTABLE', `This question ${why}, so it cannot take votes.`);
  }
}

export function tooManyQuestions(): AppError {
  return new AppError('QUESTION_LIMIT_REACHED', 429, `You have asked ${QUESTIONS_PER_PERSON} questions in this meeting, the most one person can ask.`);
}

export interface Viewer {
  userId: string;
  moderator: boolean;
}

export function visibleTo(q: { status: QuestionStatus; merged_into: string | null; author_id: string | null }, viewer: Viewer): boolean {
  if (q.merged_into) return false;
  if (viewer.moderator || isPublic(q.status)) return true;
  return q.status === 'pending' && q.author_id === viewer.userId;
}

/** Who must hear of a status change: everyone once anyone in the audience saw it before or sees it now. */
export function statusChangeAudience(before: QuestionStatus, after: QuestionStatus): LiveAudience {
  return isPublic(before) || isPublic(after) ? 'all' : 'moderators';
}

export type QuestionSort = 'top' | 'new';

interface Rankable {
  pinned: boolean;
  votes: number;
  createdAt: string;
  id: string;
}

/** Pinned first; then "top" is most votes then oldest, and "new" is newest first. The id breaks ties, so the order is total. */
export function compareQuestions(sort: QuestionSort): (a: Rankable, b: Rankable) => number {
  return (a, b) => {
    if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
    if (sort === 'top') {
      if (a.votes !== b.votes) return b.votes - a.votes;
      if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
    } else if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}
