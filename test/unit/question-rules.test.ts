import { describe, expect, it } from 'vitest';
import { AppError } from '../../server/src/errors.ts';
import {
  assertCanEditOwn,
  assertCanParticipate,
  assertVotable,
  cleanQuestionText,
  compareQuestions,
  statusChangeAudience,
  visibleTo,
} from '../../server/src/services/question-rules.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? `${e.status} ${e.code}` : 'not an AppError';
  }
  return undefined;
}

describe('question text', () => {
  it('is trimmed, and must hold 1 to 500 visible characters', () => {
    expect(cleanQuestionText('  Why?  ')).toBe('Why?');
    expect(codeOf(() => cleanQuestionText(' \t\n'))).toBe('400 QUESTION_EMPTY');
    expect(cleanQuestionText('a'.repeat(500))).toHaveLength(500);
    expect(codeOf(() => cleanQuestionText('a'.repeat(501)))).toBe('400 QUESTION_TOO_LONG');
    expect([...cleanQuestionText('👍'.repeat(500))]).toHaveLength(500);
  });
});

describe('phases', () => {
  it('take questions and votes while open and during the Q&A only', () => {
    expect(codeOf(() => assertCanParticipate('scheduled'))).toBe('409 QUESTIONS_NOT_OPEN');
    expect(codeOf(() => assertCanParticipate('open'))).toBeUndefined();
    expect(codeOf(() => assertCanParticipate('qa'))).toBeUndefined();
    expect(codeOf(() => assertCanParticipate('closed'))).toBe('409 QUESTIONS_CLOSED');
  });

  it('let authors edit until the Q&A starts, unless the question is being answered', () => {
    expect(codeOf(() => assertCanEditOwn('open', 'approved'))).toBeUndefined();
    expect(codeOf(() => assertCanEditOwn('open', 'pending'))).toBeUndefined();
    expect(codeOf(() => assertCanEditOwn('open', 'answering'))).toBe('409 QUESTION_LOCKED');
    expect(codeOf(() => assertCanEditOwn('qa', 'approved'))).toBe('409 QUESTION_LOCKED');
  });
});

describe('votes', () => {
  it('go to approved and answering questions only', () => {
    expect(codeOf(() => assertVotable({ status: 'approved', merged_into: null }))).toBeUndefined();
    expect(codeOf(() => assertVotable({ status: 'answering', merged_into: null }))).toBeUndefined();
    for (const status of ['pending', 'hidden', 'answered'] as const) expect(codeOf(() => assertVotable({ status, merged_into: null }))).toBe('409 QUESTION_NOT_VOTABLE');
    expect(codeOf(() => assertVotable({ status: 'approved', merged_into: 'x' }))).toBe('409 QUESTION_MERGED');
  });
});

describe('visibility', () => {
  const member = { userId: 'u1', moderator: false };
  const facilitator = { userId: 'f1', moderator: true };
  it('shows pending questions to moderators and their author, hidden ones to moderators, merged ones to nobody', () => {
    expect(visibleTo({ status: 'pending', merged_into: null, author_id: 'u1' }, member)).toBe(true);
    expect(visibleTo({ status: 'pending', merged_into: null, author_id: 'u2' }, member)).toBe(false);
    expect(visibleTo({ status: 'pending', merged_into: null, author_id: 'u2' }, facilitator)).toBe(true);
    expect(visibleTo({ status: 'hidden', merged_into: null, author_id: 'u1' }, member)).toBe(false);
    expect(visibleTo({ status: 'hidden', merged_into: null, author_id: 'u1' }, facilitator)).toBe(true);
    expect(visibleTo({ status: 'approved', merged_into: 'q', author_id: 'u1' }, facilitator)).toBe(false);
  });

  it('tells everyone of a status change once anyone in the audience could see the question', () => {
    expect(statusChangeAudience('pending', 'approved')).toBe('all');
    expect(statusChangeAudience('approved', 'hidden')).toBe('all');
    expect(statusChangeAudience('pending', 'hidden')).toBe('moderators');
  });
});

describe('ordering', () => {
  const q = (id: string, votes: number, createdAt: string, pinned = false) => ({ id, votes, createdAt, pinned });
  const list = [q('a', 1, '2026-01-01T10:00:00.000Z'), q('b', 5, '2026-01-01T10:05:00.000Z'), q('c', 5, '2026-01-01T10:01:00.000Z'), q('d', 0, '2026-01-01T10:09:00.000Z', true)];
  it('puts pinned first, then most votes and oldest for top', () => {
    expect([...list].sort(compareQuestions('top')).map((x) => x.id)).toEqual(['d', 'c', 'b', 'a']);
  });
  it('puts pinned first, then newest for new', () => {
    expect([...list].sort(compareQuestions('new')).map((x) => x.id)).toEqual(['d', 'b', 'c', 'a']);
  });
});
