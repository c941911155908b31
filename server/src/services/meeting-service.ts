import type { Clock } from '@timeshift/shared/clock';
import type { Meeting, Talk } from '@timeshift/shared/db/schema';
import { errors } from '../errors.ts';
import type { MeetingsRepository } from '../repositories/meetings.ts';
import type { TalksRepository } from '../repositories/talks.ts';
import type { UsersRepository } from '../repositories/users.ts';
import { phaseAt } from './meeting-phase.ts';
import { authorize, can, type Actor } from './policy.ts';

export interface CreateMeetingInput {
  title: string;
  description?: string;
  windowOpensAt: string;
  windowClosesAt: string;
  qaStartsAt?: string;
  qaDurationMinutes?: number;
  qaJoinUrl?: string;
}

export function meetingDto(m: Meeting, now: Date) {
  return {
    id: m.id,
    orgId: m.org_id,
    title: m.title,
    description: m.description ?? undefined,
    windowOpensAt: m.window_opens_at.toISOString(),
    windowClosesAt: m.window_closes_at.toISOString(),
    qaStartsAt: m.qa_starts_at.toISOString(),
    qaDurationMinutes: m.qa_duration_minutes,
    qaJoinUrl: m.qa_join_url ?? undefined,
    phase: phaseAt(m, now),
  };
}

export function talkSummaryDto(t: Talk) {
  return {
    id: t.id,
    meetingId: t.meeting_id,
    speakerId: t.speaker_id ?? undefined,
    title: t.title,
    state: t.state,
    durationSeconds: t.duration_seconds ?? undefined,
  };
}

export function meetingService(deps: { meetings: MeetingsRepository; talks: TalksRepository; users: UsersRepository; clock: Clock }) {
  async function findVisible(actor: Actor, id: string): Promise<Meeting> {
    authorize(actor, 'meeting.view');
    const meeting = await deps.meetings.find(actor.orgId, id);
    if (!meeting) throw errors.notFound('That meeting');
    return meeting;
  }

  return {
    async create(actor: Actor, input: CreateMeetingInput) {
      authorize(actor, 'meeting.create');
      const opens = new Date(input.windowOpensAt);
      const closes = new Date(input.windowClosesAt);
      const qaStarts = input.qaStartsAt ? new Date(input.qaStartsAt) : closes;
      if (closes <= opens) throw errors.badRequest('INVALID_WINDOW', 'The viewing window must close after it opens.');
      if (qaStarts < closes) throw errors.badRequest('INVALID_QA_TIME', 'The live Q&A must start when the viewing window closes, or later.');
      const meeting = await deps.meetings.create({
        orgId: actor.orgId,
        title: input.title.trim(),
        description: input.description?.trim() || null,
        windowOpensAt: opens,
        windowClosesAt: closes,
        qaStartsAt: qaStarts,
        qaDurationMinutes: input.qaDurationMinutes ?? 20,
        qaJoinUrl: input.qaJoinUrl ?? null,
        createdBy: actor.userId,
      });
      return meetingDto(meeting, deps.clock.now());
    },
    async list(actor: Actor) {
      authorize(actor, 'meeting.view');
      const now = deps.clock.now();
      return (await deps.meetings.listForOrg(actor.orgId)).map((m) => meetingDto(m, now));
    },
    async get(actor: Actor, id: string) {
      const meeting = await findVisible(actor, id);
      const talks = await deps.talks.listForMeeting(actor.orgId, id);
      return { ...meetingDto(meeting, deps.clock.now()), talks: talks.map(talkSummaryDto) };
    },
    async addTalk(actor: Actor, meetingId: string, input: { title: string; description?: string; speakerId?: string }) {
      authorize(actor, 'talk.create');
      await findVisible(actor, meetingId);
      const speakerId = input.speakerId ?? (actor.role === 'speaker' ? actor.userId : null);
      if (speakerId && speakerId !== actor.userId) {
        if (!can(actor, 'talk.create_for_others')) throw errors.forbidden('A speaker can only create their own talks.');
        const speaker = await deps.users.findMember(actor.orgId, speakerId);
        if (!speaker) throw errors.badRequest('UNKNOWN_SPEAKER', 'That speaker is not a member of your organisation.');
      }
      const talk = await deps.talks.create({
        orgId: actor.orgId,
        meetingId,
        speakerId,
        title: input.title.trim(),
        description: input.description?.trim() || null,
      });
      return talkSummaryDto(talk);
    },
  };
}
export type MeetingService = ReturnType<typeof meetingService>;
