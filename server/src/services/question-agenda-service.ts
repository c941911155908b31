import type { Clock } from '@timeshift/shared/clock';
import { errors } from '../errors.ts';
import type { LiveEvent, LiveRepository, RoomTx } from '../repositories/live.ts';
import type { MeetingsRepository } from '../repositories/meetings.ts';
import type { QuestionsRepository } from '../repositories/questions.ts';
import type { TalksRepository } from '../repositories/talks.ts';
import { phaseAt } from './meeting-phase.ts';
import { can, type Actor } from './policy.ts';
import { busiestMoments, groupAgenda } from './question-agenda.ts';
import { meetingForAudience } from './question-audience.ts';
import { questionView } from './question-dto.ts';
import { compareQuestions, isPublic, visibleTo } from './question-rules.ts';

const BRIEF_TOP_QUESTIONS = 10;

/**
 * Freezes the ranking once the window has closed, inside the room lock of whatever touches the room
 * first: no vote or question after the close can slip in ahead of it.
 */
export async function freezeAgendaIfDue(room: RoomTx, now: Date): Promise<void> {
  const phase = phaseAt(room.meeting, now);
  if (room.meeting.agenda_frozen_at || phase === 'scheduled' || phase === 'open') return;
  await room.questions.freezeAgenda(room.meeting.id);
  const meeting = await room.setMeeting({ agendaFrozenAt: room.meeting.window_closes_at });
  await room.emit({ type: 'agenda_frozen', audience: 'all', payload: { frozenAt: meeting.window_closes_at.toISOString() } });
}

export function questionAgendaService(deps: {
  meetings: MeetingsRepository;
  questions: QuestionsRepository;
  talks: TalksRepository;
  live: LiveRepository;
  clock: Clock;
  announce(meetingId: string, events: LiveEvent[]): void;
}) {
  async function ensureFrozen(actor: Actor, meetingId: string): Promise<void> {
    const done = await deps.live.inRoom(actor.orgId, meetingId, (room) => freezeAgendaIfDue(room, deps.clock.now()));
    if (done && done.events.length > 0) deps.announce(meetingId, done.events);
  }

  return {
    /** The agenda of the live Q&A: frozen at the window's close, grouped per talk; a live preview before. */
    async agenda(actor: Actor, meetingId: string) {
      const meeting = await meetingForAudience(deps.meetings, actor, meetingId);
      await ensureFrozen(actor, meetingId);
      const [rows, talks, frozen] = await Promise.all([
        deps.questions.listForMeeting(actor.orgId, meetingId),
        deps.talks.listForMeeting(actor.orgId, meetingId),
        deps.meetings.find(actor.orgId, meetingId),
      ]);
      const viewer = { userId: actor.userId, moderator: can(actor, 'question.moderate') };
      const items = rows.filter((q) => visibleTo(q, viewer) && q.status !== 'hidden').map((q) => ({ ...questionView(q), rank: q.agenda_rank ?? undefined }));
      return {
        meetingId: meeting.id,
        frozenAt: frozen?.agenda_frozen_at?.toISOString(),
        sections: groupAgenda(items, talks),
      };
    },

    /** What a speaker should prepare for: their talk's top questions and the moments that drew the most. */
    async brief(actor: Actor, talkId: string) {
      const talk = await deps.talks.find(actor.orgId, talkId);
      if (!talk) throw errors.notFound('That talk');
      if (talk.speaker_id !== actor.userId && !can(actor, 'question.moderate')) throw errors.forbidden('Only the speaker of this talk, facilitators and admins see its brief.');
      await meetingForAudience(deps.meetings, actor, talk.meeting_id);
      await ensureFrozen(actor, talk.meeting_id);
      const rows = (await deps.questions.listForMeeting(actor.orgId, talk.meeting_id)).filter((q) => q.talk_id === talkId && isPublic(q.status));
      const views = rows.map(questionView);
      return {
        talkId,
        title: talk.title,
        questionCount: rows.length,
        topQuestions: views.sort(compareQuestions('top')).slice(0, BRIEF_TOP_QUESTIONS),
        busiestMoments: busiestMoments(rows.flatMap((q) => (q.at_sec === null ? [] : [q.at_sec]))),
      };
    },
  };
}
export type QuestionAgendaService = ReturnType<typeof questionAgendaService>;
