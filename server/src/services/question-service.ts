import type { Clock } from '@timeshift/shared/clock';
import type { QuestionStatus } from '@timeshift/shared/db/schema';
import { errors } from '../errors.ts';
import type { LiveEvent, LiveRepository, NewLiveEvent, RoomTx } from '../repositories/live.ts';
import type { MeetingsRepository } from '../repositories/meetings.ts';
import type { QuestionRow, QuestionsRepository } from '../repositories/questions.ts';
import type { TalksRepository } from '../repositories/talks.ts';
import { phaseAt, qaEndsAt } from './meeting-phase.ts';
import { authorize, can, type Actor } from './policy.ts';
import { freezeAgendaIfDue } from './question-agenda-service.ts';
import { meetingForAudience } from './question-audience.ts';
import { questionView, questionViewFor } from './question-dto.ts';
import {
  assertCanEditOwn,
  assertCanParticipate,
  assertVotable,
  cleanQuestionText,
  compareQuestions,
  isPublic,
  QUESTIONS_PER_PERSON,
  statusChangeAudience,
  tooManyQuestions,
  visibleTo,
  type QuestionSort,
} from './question-rules.ts';

export interface AskInput {
  text: string;
  talkId?: string;
  atSec?: number;
  anonymous?: boolean;
}

export interface QuestionPatch {
  text?: string;
  status?: QuestionStatus;
  pinned?: boolean;
}

/** Minutes the facilitator adds to the live Q&A with one press; the meeting's own limit still applies. */
export const TIMER_STEP_MINUTES = 5;
const ANSWER_MAX_CHARS = 5000;
const MAX_QA_MINUTES = 480;

export interface QuestionServiceDeps {
  meetings: MeetingsRepository;
  questions: QuestionsRepository;
  talks: TalksRepository;
  live: LiveRepository;
  clock: Clock;
  /** Hands committed events to this process's rooms at once, without waiting for the notification to come back. */
  announce(meetingId: string, events: LiveEvent[]): void;
}

function audienceOf(status: QuestionStatus) {
  return isPublic(status) ? ('all' as const) : ('moderators' as const);
}

export function questionService(deps: QuestionServiceDeps) {
  const viewer = (actor: Actor) => ({ userId: actor.userId, moderator: can(actor, 'question.moderate') });

  /** Runs a write under the room lock and lets the rooms know once it has committed. */
  async function inRoom<T>(actor: Actor, meetingId: string, work: (room: RoomTx) => Promise<T>): Promise<T> {
    const done = await deps.live.inRoom(actor.orgId, meetingId, work);
    if (!done) throw errors.notFound('That meeting');
    if (done.events.length > 0) deps.announce(meetingId, done.events);
    return done.value;
  }

  /** The question if this person may see it; a question they may not see does not exist for them. */
  async function findVisible(actor: Actor, id: string): Promise<QuestionRow> {
    const q = await deps.questions.find(actor.orgId, id);
    if (!q) throw errors.notFound('That question');
    await meetingForAudience(deps.meetings, actor, q.meeting_id);
    // Hidden and merged questions were seen before, so saying why they refuse is fine; someone else's pending one stays unseen.
    if (q.status === 'pending' && !visibleTo(q, viewer(actor))) throw errors.notFound('That question');
    return q;
  }

  /** Re-reads the question under the room lock, so that decisions use what is committed now. */
  async function lockedQuestion(room: RoomTx, actor: Actor, id: string): Promise<QuestionRow> {
    const q = await room.questions.find(actor.orgId, id);
    if (!q) throw errors.notFound('That question');
    return q;
  }

  async function setVote(actor: Actor, id: string, on: boolean) {
    authorize(actor, 'question.ask');
    const q = await findVisible(actor, id);
    return inRoom(actor, q.meeting_id, async (room) => {
      assertCanParticipate(phaseAt(room.meeting, deps.clock.now()));
      await freezeAgendaIfDue(room, deps.clock.now());
      const current = await lockedQuestion(room, actor, id);
      if (on) assertVotable(current);
      let votes = current.vote_count;
      let changed: boolean;
      if (on) ({ added: changed, votes } = await room.questions.addVote(id, actor.userId));
      else if ((changed = await room.questions.removeVote(id, actor.userId))) votes = await room.questions.recount(id);
      if (changed) await room.emit({ type: 'vote', audience: audienceOf(current.status), payload: { questionId: id, votes } });
      return { id, votes, votedByMe: on };
    });
  }

  return {
    async ask(actor: Actor, meetingId: string, input: AskInput) {
      authorize(actor, 'question.ask');
      const text = cleanQuestionText(input.text);
      await meetingForAudience(deps.meetings, actor, meetingId);
      if (input.atSec !== undefined && !input.talkId) throw errors.badRequest('MOMENT_WITHOUT_TALK', 'A moment (atSec) needs the talk it belongs to (talkId).');
      if (input.talkId) {
        const talk = await deps.talks.find(actor.orgId, input.talkId);
        if (!talk || talk.meeting_id !== meetingId) throw errors.badRequest('UNKNOWN_TALK', 'That talk is not part of this meeting.');
        if (input.atSec !== undefined && talk.duration_seconds !== null && input.atSec > talk.duration_seconds + 1) {
          throw errors.badRequest('MOMENT_OUT_OF_RANGE', `The talk is ${Math.round(talk.duration_seconds)} s long; pick a moment inside it.`);
        }
      }
      const q = await inRoom(actor, meetingId, async (room) => {
        assertCanParticipate(phaseAt(room.meeting, deps.clock.now()));
        await freezeAgendaIfDue(room, deps.clock.now());
        // The room lock serialises this count with the insert, so two quick requests cannot both pass at 19.
        if ((await room.questions.countByAuthor(meetingId, actor.userId)) >= QUESTIONS_PER_PERSON) throw tooManyQuestions();
        const created = await room.questions.insert({
          orgId: actor.orgId,
          meetingId,
          authorId: actor.userId,
          text,
          anonymous: input.anonymous ?? false,
          status: room.meeting.require_approval ? 'pending' : 'approved',
          talkId: input.talkId ?? null,
          atSec: input.atSec ?? null,
        });
        await room.emit({ type: 'question', audience: audienceOf(created.status), payload: { question: questionView(created) } });
        return created;
      });
      return questionViewFor(q, actor.userId, false);
    },

    async list(actor: Actor, meetingId: string, sort: QuestionSort) {
      await meetingForAudience(deps.meetings, actor, meetingId);
      const [rows, voted] = await Promise.all([deps.questions.listForMeeting(actor.orgId, meetingId), deps.questions.votedBy(meetingId, actor.userId)]);
      const who = viewer(actor);
      const questions = rows.filter((q) => visibleTo(q, who)).map((q) => questionViewFor(q, actor.userId, voted.has(q.id)));
      return { questions: questions.sort(compareQuestions(sort)) };
    },

    vote: (actor: Actor, id: string) => setVote(actor, id, true),
    unvote: (actor: Actor, id: string) => setVote(actor, id, false),

    /** An author edits their text; a moderator sets status or pin. One request may not mix the two. */
    async update(actor: Actor, id: string, patch: QuestionPatch) {
      if (patch.text === undefined && patch.status === undefined && patch.pinned === undefined) {
        throw errors.badRequest('NOTHING_TO_CHANGE', 'Send text, status or pinned.');
      }
      const moderating = patch.status !== undefined || patch.pinned !== undefined;
      if (moderating) authorize(actor, 'question.moderate');
      const text = patch.text === undefined ? undefined : cleanQuestionText(patch.text);
      const q = await findVisible(actor, id);
      if (q.merged_into) throw errors.conflict('QUESTION_MERGED', 'This question was merged into another one.');
      const updated = await inRoom(actor, q.meeting_id, async (room) => {
        const before = await lockedQuestion(room, actor, id);
        if (text !== undefined) {
          if (before.author_id !== actor.userId) throw errors.forbidden('Only the person who asked can edit a question.');
          assertCanEditOwn(phaseAt(room.meeting, deps.clock.now()), before.status);
        }
        let after = await room.questions.update(actor.orgId, id, { text, status: patch.status, pinned: patch.pinned });
        // Marked answered during the live Q&A is an answer given live; leaving "answered" takes the answer back.
        if (patch.status !== undefined && (patch.status === 'answered') !== (before.status === 'answered')) {
          const live = phaseAt(room.meeting, deps.clock.now()) === 'qa';
          await room.questions.setAnswer(id, patch.status === 'answered' ? { live, by: actor.userId, at: deps.clock.now() } : null);
          after = (await room.questions.find(actor.orgId, id))!;
        }
        const events: NewLiveEvent[] = [];
        if (patch.status !== undefined && patch.status !== before.status) {
          events.push({ type: 'status', audience: statusChangeAudience(before.status, after.status), payload: { questionId: id, status: after.status, question: questionView(after) } });
        }
        if (text !== undefined || (patch.pinned !== undefined && patch.pinned !== before.pinned)) {
          events.push({ type: 'question_updated', audience: audienceOf(after.status), payload: { question: questionView(after) } });
        }
        // "Answering" is what the room shows as the current question; leaving it clears the highlight.
        if (after.status === 'answering' && room.meeting.current_question_id !== id) {
          await room.setMeeting({ currentQuestionId: id });
          events.push({ type: 'current', audience: 'all', payload: { questionId: id } });
        } else if (after.status !== 'answering' && room.meeting.current_question_id === id) {
          await room.setMeeting({ currentQuestionId: null });
          events.push({ type: 'current', audience: 'all', payload: { questionId: null } });
        }
        await room.emit(...events);
        return after;
      });
      const voted = await deps.questions.hasVoted(id, actor.userId);
      return questionViewFor(updated, actor.userId, voted);
    },

    async remove(actor: Actor, id: string) {
      const q = await findVisible(actor, id);
      await inRoom(actor, q.meeting_id, async (room) => {
        const current = await lockedQuestion(room, actor, id);
        if (current.author_id !== actor.userId) {
          throw errors.forbidden(can(actor, 'question.moderate') ? 'Hide a question instead of deleting it: only its author can delete it.' : 'Only the person who asked can delete a question.');
        }
        assertCanEditOwn(phaseAt(room.meeting, deps.clock.now()), current.status);
        await room.questions.delete(actor.orgId, id);
        await room.emit({ type: 'question_deleted', audience: audienceOf(current.status), payload: { questionId: id } });
      });
    },

    /** Folds a duplicate into another question: its voters join the target's, each counted once. */
    async merge(actor: Actor, id: string, intoId: string) {
      authorize(actor, 'question.moderate');
      if (id === intoId) throw errors.badRequest('MERGE_INTO_ITSELF', 'Pick a different question to merge into.');
      const q = await findVisible(actor, id);
      const updated = await inRoom(actor, q.meeting_id, async (room) => {
        const source = await lockedQuestion(room, actor, id);
        const target = await room.questions.find(actor.orgId, intoId);
        if (!target || target.meeting_id !== source.meeting_id) throw errors.badRequest('UNKNOWN_MERGE_TARGET', 'Merge into a question of the same meeting.');
        if (source.merged_into || target.merged_into) throw errors.conflict('QUESTION_MERGED', 'One of these questions was already merged.');
        await room.questions.moveVotes(id, intoId);
        await room.questions.update(actor.orgId, id, { mergedInto: intoId });
        const votes = await room.questions.recount(intoId);
        const merged = (await room.questions.find(actor.orgId, intoId))!;
        if (room.meeting.current_question_id === id) await room.setMeeting({ currentQuestionId: null });
        const audience = isPublic(source.status) || isPublic(target.status) ? 'all' : 'moderators';
        await room.emit({ type: 'merged', audience, payload: { questionId: id, into: intoId, votes } });
        return merged;
      });
      return questionViewFor(updated, actor.userId, await deps.questions.hasVoted(intoId, actor.userId));
    },

    /** An answer after the fact, in text and perhaps a moment of a talk, by the talk's speaker or a facilitator. */
    async answer(actor: Actor, id: string, input: { text: string; talkId?: string; atSec?: number }) {
      const text = input.text.trim();
      if (text.length === 0) throw errors.badRequest('ANSWER_EMPTY', 'Write the answer before sending it.');
      if ([...text].length > ANSWER_MAX_CHARS) throw errors.badRequest('ANSWER_TOO_LONG', `An answer can be at most ${ANSWER_MAX_CHARS} characters.`);
      if (input.atSec !== undefined && !input.talkId) throw errors.badRequest('MOMENT_WITHOUT_TALK', 'A moment (atSec) needs the talk it belongs to (talkId).');
      const q = await findVisible(actor, id);
      const talk = q.talk_id ? await deps.talks.find(actor.orgId, q.talk_id) : undefined;
      if (!can(actor, 'question.moderate') && !(talk && talk.speaker_id === actor.userId)) {
        throw errors.forbidden('Only the speaker of the talk this question is about, facilitators and admins can answer it.');
      }
      if (input.talkId) {
        const linked = await deps.talks.find(actor.orgId, input.talkId);
        if (!linked || linked.meeting_id !== q.meeting_id) throw errors.badRequest('UNKNOWN_TALK', 'Link a moment of a talk of this meeting.');
      }
      const updated = await inRoom(actor, q.meeting_id, async (room) => {
        const before = await lockedQuestion(room, actor, id);
        if (before.merged_into) throw errors.conflict('QUESTION_MERGED', 'This question was merged into another one; answer that one.');
        if (!isPublic(before.status)) throw errors.conflict('QUESTION_NOT_ANSWERABLE', 'Approve this question before answering it.');
        await room.questions.update(actor.orgId, id, { status: 'answered' });
        await room.questions.setAnswer(id, { live: false, by: actor.userId, at: deps.clock.now(), text, talkId: input.talkId, atSec: input.atSec });
        const after = (await room.questions.find(actor.orgId, id))!;
        // The asker hears of the answer, even when they asked anonymously: only others never learn who asked.
        if (after.author_id && after.author_id !== actor.userId) {
          await room.outbox.enqueueForUser({
            orgId: actor.orgId,
            userId: after.author_id,
            kind: 'question_answered',
            payload: { meetingId: q.meeting_id, questionId: id, question: after.text, answer: text },
            dedupeKey: `question_answered:${id}:${deps.clock.now().getTime()}`,
          });
        }
        await room.emit({ type: 'status', audience: 'all', payload: { questionId: id, status: after.status, question: questionView(after) } });
        return after;
      });
      return questionViewFor(updated, actor.userId, await deps.questions.hasVoted(id, actor.userId));
    },

    /** The meeting's record after the Q&A: answered live, answered later, and still open. */
    async record(actor: Actor, meetingId: string) {
      const { questions } = await this.list(actor, meetingId, 'top');
      return {
        answeredLive: questions.filter((q) => q.answer?.live),
        answeredLater: questions.filter((q) => q.answer && !q.answer.live),
        open: questions.filter((q) => q.status === 'approved' || q.status === 'answering'),
      };
    },

    async setRequireApproval(actor: Actor, meetingId: string, requireApproval: boolean) {
      authorize(actor, 'question.moderate');
      await meetingForAudience(deps.meetings, actor, meetingId);
      return inRoom(actor, meetingId, async (room) => {
        await room.setMeeting({ requireApproval });
        await room.emit({ type: 'settings', audience: 'all', payload: { requireApproval } });
        return { requireApproval };
      });
    },

    /** Adds five minutes to the live Q&A; the phase follows, since it is computed from the duration. */
    async extendTimer(actor: Actor, meetingId: string) {
      authorize(actor, 'live.run');
      await meetingForAudience(deps.meetings, actor, meetingId);
      return inRoom(actor, meetingId, async (room) => {
        const phase = phaseAt(room.meeting, deps.clock.now());
        if (phase === 'closed' || phase === 'scheduled') throw errors.conflict('QA_NOT_RUNNING', 'The timer can only be extended before or during the live Q&A.');
        const minutes = room.meeting.qa_duration_minutes + TIMER_STEP_MINUTES;
        if (minutes > MAX_QA_MINUTES) throw errors.conflict('QA_TOO_LONG', `A live Q&A can last at most ${MAX_QA_MINUTES} minutes.`);
        const meeting = await room.setMeeting({ qaDurationMinutes: minutes });
        const endsAt = qaEndsAt(meeting).toISOString();
        await room.emit({ type: 'timer', audience: 'all', payload: { qaEndsAt: endsAt } });
        return { qaEndsAt: endsAt, qaDurationMinutes: minutes };
      });
    },
  };
}
export type QuestionService = ReturnType<typeof questionService>;
