import type { Clock } from '@timeshift/shared/clock';
import { AppError, errors } from '../errors.ts';
import type { LiveRepository } from '../repositories/live.ts';
import type { MeetingsRepository } from '../repositories/meetings.ts';
import type { LiveHub, LiveSocket, Participant } from './live-hub.ts';
import { sendJson, wireEvent } from './live-hub.ts';
import { parseCommand, type LiveCommand } from './live-protocol.ts';
import { phaseAt, qaEndsAt } from './meeting-phase.ts';
import { can, type Actor } from './policy.ts';
import { meetingForAudience } from './question-audience.ts';
import { questionViewFor } from './question-dto.ts';
import { compareQuestions, visibleTo } from './question-rules.ts';
import type { QuestionService } from './question-service.ts';

/** A reconnecting client further behind than this gets a fresh snapshot instead of the events. */
export const MAX_CATCH_UP_EVENTS = 500;

/** Close codes of the room protocol (RFC 6455 1008: policy violation). */
export const CLOSE_POLICY = 1008;

export interface CloseRequest {
  close: { code: number; reason: string };
}

export function liveService(deps: { meetings: MeetingsRepository; live: LiveRepository; hub: LiveHub; questions: QuestionService; clock: Clock }) {
  async function snapshot(actor: Actor, meetingId: string) {
    const moderator = can(actor, 'question.moderate');
    const snap = await deps.live.snapshot(actor.orgId, meetingId, async ({ meeting, questions }) => {
      const [rows, voted] = await Promise.all([questions.listForMeeting(actor.orgId, meetingId), questions.votedBy(meetingId, actor.userId)]);
      const viewer = { userId: actor.userId, moderator };
      return {
        type: 'snapshot',
        seq: Number(meeting.live_seq),
        meeting: {
          id: meeting.id,
          title: meeting.title,
          phase: phaseAt(meeting, deps.clock.now()),
          windowClosesAt: meeting.window_closes_at.toISOString(),
          qaStartsAt: meeting.qa_starts_at.toISOString(),
          qaEndsAt: qaEndsAt(meeting).toISOString(),
          qaJoinUrl: meeting.qa_join_url ?? undefined,
          requireApproval: meeting.require_approval,
          currentQuestionId: meeting.current_question_id,
        },
        questions: rows
          .filter((q) => visibleTo(q, viewer))
          .map((q) => questionViewFor(q, actor.userId, voted.has(q.id)))
          .sort(compareQuestions('top')),
        presence: deps.hub.presenceOf(meetingId),
        you: { moderator, canRun: can(actor, 'live.run') },
      };
    });
    if (!snap) throw errors.notFound('That meeting');
    return snap;
  }

  /** Runs one client command; an AppError becomes an error message to that client, the room stays open. */
  async function run(actor: Actor, meetingId: string, command: LiveCommand): Promise<object> {
    switch (command.type) {
      case 'ping':
        return { type: 'pong' };
      case 'ask':
        return { type: 'asked', question: await deps.questions.ask(actor, meetingId, command) };
      case 'vote':
        return { type: 'voted', ...(await deps.questions.vote(actor, command.questionId)) };
      case 'unvote':
        return { type: 'voted', ...(await deps.questions.unvote(actor, command.questionId)) };
      case 'set_status':
        return { type: 'updated', question: await deps.questions.update(actor, command.questionId, { status: command.status }) };
      case 'pin':
        return { type: 'updated', question: await deps.questions.update(actor, command.questionId, { pinned: command.pinned }) };
      case 'extend_timer':
        return { type: 'timer_extended', ...(await deps.questions.extendTimer(actor, meetingId)) };
    }
  }

  return {
    /** Checked before the upgrade, so that a refused join is an HTTP answer rather than an opened socket. */
    async authorizeJoin(actor: Actor, meetingId: string): Promise<void> {
      await meetingForAudience(deps.meetings, actor, meetingId);
    },

    /** Sends the snapshot, or only what was missed since `since`, then lets live events flow. */
    async join(actor: Actor, meetingId: string, socket: LiveSocket, since?: number): Promise<Participant> {
      const p: Participant = { socket, moderator: can(actor, 'question.moderate'), lastSeq: Number.MAX_SAFE_INTEGER, pending: [] };
      await deps.hub.join(meetingId, p);
      try {
        let caughtUp = false;
        if (since !== undefined) {
          const missed = await deps.live.eventsAfter(meetingId, since, MAX_CATCH_UP_EVENTS + 1);
          const current = await deps.live.currentSeq(meetingId);
          if (since <= current && missed.length <= MAX_CATCH_UP_EVENTS) {
            sendJson(socket, { type: 'catch_up', seq: since, missed: missed.length });
            for (const e of missed) if (e.audience === 'all' || p.moderator) sendJson(socket, wireEvent(e));
            p.lastSeq = missed.at(-1)?.seq ?? since;
            caughtUp = true;
          }
        }
        if (!caughtUp) {
          const snap = await snapshot(actor, meetingId);
          sendJson(socket, snap);
          p.lastSeq = snap.seq;
        }
      } finally {
        deps.hub.ready(meetingId, p);
      }
      return p;
    },

    leave(meetingId: string, p: Participant): void {
      deps.hub.leave(meetingId, p);
    },

    /** Handles one frame. Anything that is not a well-formed command, or not theirs to send, closes the socket. */
    async receive(actor: Actor, meetingId: string, frame: string): Promise<object | CloseRequest> {
      const parsed = parseCommand(frame);
      if ('error' in parsed) return { close: { code: CLOSE_POLICY, reason: parsed.error } };
      const command = parsed.command;
      const needs = command.type === 'set_status' || command.type === 'pin' ? 'question.moderate' : command.type === 'extend_timer' ? 'live.run' : null;
      if (needs && !can(actor, needs)) return { close: { code: CLOSE_POLICY, reason: `Your role (${actor.role}) cannot run the room.` } };
      try {
        return await run(actor, meetingId, command);
      } catch (e) {
        if (e instanceof AppError && e.status < 500) return { type: 'error', code: e.code, message: e.message, for: command.type };
        throw e;
      }
    },
  };
}
export type LiveService = ReturnType<typeof liveService>;
