import type { Clock } from '@timeshift/shared/clock';
import { QA_NOTICE_BEFORE_MS, REMINDER_BEFORE_CLOSE_MS } from '@timeshift/shared/meeting-notices';
import type { Meeting, Talk } from '@timeshift/shared/db/schema';
import type { JobQueue } from '../adapters/queue.ts';
import { errors } from '../errors.ts';
import type { GroupsRepository } from '../repositories/groups.ts';
import type { MeetingPatch } from '../repositories/meetings.ts';
import type { MeetingRepositories, MeetingStore } from '../repositories/meeting-store.ts';
import type { ProgressRepository } from '../repositories/progress.ts';
import type { TalksRepository } from '../repositories/talks.ts';
import type { UsersRepository } from '../repositories/users.ts';
import { parseInstant } from './instant.ts';
import type { MeetingAccess } from './meeting-access.ts';
import { phaseAt } from './meeting-phase.ts';
import { authorize, can, type Actor } from './policy.ts';

export interface CreateMeetingInput {
  title: string;
  description?: string;
  agenda?: string;
  windowOpensAt: string;
  windowClosesAt: string;
  qaStartsAt?: string;
  qaDurationMinutes?: number;
  qaJoinUrl?: string;
  /** Absent or empty: the whole organisation. */
  audienceGroupIds?: string[];
  /** Days after the Q&A ends that recordings are kept; absent: kept. */
  retentionDays?: number;
  /** A draft is visible to staff only and notifies nobody until it is published. */
  draft?: boolean;
}

export interface UpdateMeetingInput {
  title?: string;
  description?: string | null;
  agenda?: string | null;
  windowOpensAt?: string;
  windowClosesAt?: string;
  qaStartsAt?: string;
  qaDurationMinutes?: number;
  qaJoinUrl?: string | null;
  audienceGroupIds?: string[] | null;
  retentionDays?: number | null;
}


export function meetingDto(m: Meeting, now: Date) {
  const phase = phaseAt(m, now);
  return {
    id: m.id,
    orgId: m.org_id,
    title: m.title,
    description: m.description ?? undefined,
    agenda: m.agenda ?? undefined,
    windowOpensAt: m.window_opens_at.toISOString(),
    windowClosesAt: m.window_closes_at.toISOString(),
    qaStartsAt: m.qa_starts_at.toISOString(),
    qaDurationMinutes: m.qa_duration_minutes,
    qaJoinUrl: m.qa_join_url ?? undefined,
    phase,
    /** Seconds until the window closes, while it is open. */
    timeLeftSeconds: phase === 'open' ? Math.floor((m.window_closes_at.getTime() - now.getTime()) / 1000) : undefined,
    audience: m.audience,
    publishedAt: m.published_at ? m.published_at.toISOString() : undefined,
    retentionDays: m.retention_days ?? undefined,
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

interface Times {
  opens: Date;
  closes: Date;
  qaStarts: Date;
}

function checkTimes(t: Times): void {
  if (t.closes <= t.opens) throw errors.badRequest('INVALID_WINDOW', 'The viewing window must close after it opens.');
  if (t.qaStarts < t.closes) throw errors.badRequest('INVALID_QA_TIME', 'The live Q&A must start when the viewing window closes, or later.');
}

export function meetingService(deps: {
  store: MeetingStore;
  talks: TalksRepository;
  users: UsersRepository;
  groups: GroupsRepository;
  progress: ProgressRepository;
  access: MeetingAccess;
  queue: JobQueue;
  clock: Clock;
}) {
  async function audienceGroups(actor: Actor, ids: string[] | null | undefined): Promise<string[]> {
    const unique = [...new Set(ids ?? [])];
    const found = await deps.groups.existing(actor.orgId, unique);
    const missing = unique.filter((id) => !found.includes(id));
    if (missing.length) throw errors.badRequest('UNKNOWN_GROUP', `These groups are not in your organisation: ${missing.join(', ')}.`);
    return unique;
  }

  /** Invitations to whoever in the audience has not had one; run whenever a published meeting's audience may have grown. */
  async function inviteAudience(r: MeetingRepositories, m: Meeting): Promise<void> {
    await r.outbox.enqueueForAudience({ orgId: m.org_id, meetingId: m.id, kind: 'meeting_published', payload: { meetingId: m.id }, dedupeKey: `meeting_published:${m.id}` });
  }

  /**
   * Timed notices are graphile-worker jobs keyed by meeting: re-adding one with the same key moves it, so a
   * moved window moves its reminders. The task re-reads the meeting and skips a notice that is no longer due.
   */
  async function scheduleNotices(m: Meeting): Promise<void> {
    if (!m.published_at) return;
    const reminderAt = new Date(m.window_closes_at.getTime() - REMINDER_BEFORE_CLOSE_MS);
    if (reminderAt >= m.window_opens_at) {
      await deps.queue.enqueue('meeting_notice', { meetingId: m.id, kind: 'reminder_24h' }, { jobKey: `meeting_notice:reminder_24h:${m.id}`, runAt: reminderAt });
    }
    const qaNoticeAt = new Date(m.qa_starts_at.getTime() - QA_NOTICE_BEFORE_MS);
    await deps.queue.enqueue('meeting_notice', { meetingId: m.id, kind: 'qa_soon' }, { jobKey: `meeting_notice:qa_soon:${m.id}`, runAt: qaNoticeAt });
    await deps.queue.enqueue('mail_flush', {}, { jobKey: 'mail_flush' });
  }

  async function withTalks(actor: Actor, meeting: Meeting) {
    const talks = await deps.talks.listForMeeting(actor.orgId, meeting.id);
    const progress = await deps.progress.forTalks(actor.userId, talks.map((t) => t.id));
    const groupIds = meeting.audience === 'groups' ? await deps.store.audience.groupIdsOf(meeting.id) : [];
    return {
      ...meetingDto(meeting, deps.clock.now()),
      audienceGroupIds: groupIds,
      talks: talks.map((t) => ({ ...talkSummaryDto(t), progress: progress.get(t.id) ?? { completion: 0, positionSec: 0 } })),
    };
  }

  return {
    async create(actor: Actor, input: CreateMeetingInput) {
      authorize(actor, 'meeting.create');
      const opens = parseInstant(input.windowOpensAt, 'windowOpensAt');
      const closes = parseInstant(input.windowClosesAt, 'windowClosesAt');
      const qaStarts = input.qaStartsAt ? parseInstant(input.qaStartsAt, 'qaStartsAt') : closes;
      checkTimes({ opens, closes, qaStarts });
      const groupIds = await audienceGroups(actor, input.audienceGroupIds);
      const now = deps.clock.now();
      const meeting = await deps.store.transaction(async (r) => {
        const created = await r.meetings.create({
          orgId: actor.orgId,
          title: input.title.trim(),
          description: input.description?.trim() || null,
          agenda: input.agenda?.trim() || null,
          windowOpensAt: opens,
          windowClosesAt: closes,
          qaStartsAt: qaStarts,
          qaDurationMinutes: input.qaDurationMinutes ?? 20,
          qaJoinUrl: input.qaJoinUrl ?? null,
          createdBy: actor.userId,
          retentionDays: input.retentionDays ?? null,
          publishedAt: input.draft ? null : now,
        });
        await r.audience.set(created.id, groupIds.length ? 'groups' : 'org', groupIds);
        const m = { ...created, audience: groupIds.length ? ('groups' as const) : ('org' as const) };
        if (m.published_at) await inviteAudience(r, m);
        return m;
      });
      await scheduleNotices(meeting);
      return { ...meetingDto(meeting, now), audienceGroupIds: groupIds };
    },

    async list(actor: Actor) {
      authorize(actor, 'meeting.view');
      const now = deps.clock.now();
      const meetings = can(actor, 'meeting.view_all') ? await deps.store.meetings.listForOrg(actor.orgId) : await deps.store.meetings.listForAudience(actor.orgId, actor.userId);
      return meetings.map((m) => meetingDto(m, now));
    },

    async get(actor: Actor, id: string) {
      return withTalks(actor, await deps.access.visibleMeeting(actor, id));
    },

    /** Extends the window, moves the Q&A, changes the audience; everyone affected hears of new times. */
    async update(actor: Actor, id: string, input: UpdateMeetingInput) {
      authorize(actor, 'meeting.update');
      const current = await deps.access.visibleMeeting(actor, id);
      const times: Times = {
        opens: input.windowOpensAt ? parseInstant(input.windowOpensAt, 'windowOpensAt') : current.window_opens_at,
        closes: input.windowClosesAt ? parseInstant(input.windowClosesAt, 'windowClosesAt') : current.window_closes_at,
        qaStarts: input.qaStartsAt ? parseInstant(input.qaStartsAt, 'qaStartsAt') : current.qa_starts_at,
      };
      // Moving only the close also moves a Q&A that was set to start at the close, as the create default does.
      if (input.windowClosesAt && !input.qaStartsAt && current.qa_starts_at.getTime() === current.window_closes_at.getTime()) times.qaStarts = times.closes;
      checkTimes(times);
      const groupIds = input.audienceGroupIds === undefined ? undefined : await audienceGroups(actor, input.audienceGroupIds);
      const rescheduled =
        times.opens.getTime() !== current.window_opens_at.getTime() ||
        times.closes.getTime() !== current.window_closes_at.getTime() ||
        times.qaStarts.getTime() !== current.qa_starts_at.getTime() ||
        (input.qaDurationMinutes !== undefined && input.qaDurationMinutes !== current.qa_duration_minutes);
      const patch: MeetingPatch = {
        window_opens_at: times.opens,
        window_closes_at: times.closes,
        qa_starts_at: times.qaStarts,
        ...(input.title !== undefined ? { title: input.title.trim() } : {}),
        ...(input.description !== undefined ? { description: input.description?.trim() || null } : {}),
        ...(input.agenda !== undefined ? { agenda: input.agenda?.trim() || null } : {}),
        ...(input.qaDurationMinutes !== undefined ? { qa_duration_minutes: input.qaDurationMinutes } : {}),
        ...(input.qaJoinUrl !== undefined ? { qa_join_url: input.qaJoinUrl } : {}),
        ...(input.retentionDays !== undefined ? { retention_days: input.retentionDays } : {}),
      };
      const meeting = await deps.store.transaction(async (r) => {
        const updated = await r.meetings.update(actor.orgId, id, patch, { rescheduled });
        if (!updated) throw errors.notFound('That meeting');
        if (groupIds !== undefined) {
          await r.audience.set(id, groupIds.length ? 'groups' : 'org', groupIds);
          updated.audience = groupIds.length ? 'groups' : 'org';
        }
        if (updated.published_at) {
          if (rescheduled) {
            await r.outbox.enqueueForAudience({
              orgId: updated.org_id,
              meetingId: id,
              kind: 'meeting_changed',
              payload: { meetingId: id },
              dedupeKey: `meeting_changed:${id}:v${updated.schedule_version}`,
            });
          }
          await inviteAudience(r, updated);
        }
        return updated;
      });
      await scheduleNotices(meeting);
      return withTalks(actor, meeting);
    },

    /** Makes a draft visible to its audience and sends the invitations; publishing twice changes nothing. */
    async publish(actor: Actor, id: string) {
      authorize(actor, 'meeting.update');
      await deps.access.visibleMeeting(actor, id);
      const meeting = await deps.store.transaction(async (r) => {
        const published = await r.meetings.publish(actor.orgId, id, deps.clock.now());
        if (published) await inviteAudience(r, published);
        return published;
      });
      if (meeting) await scheduleNotices(meeting);
      return withTalks(actor, await deps.access.visibleMeeting(actor, id));
    },

    async addTalk(actor: Actor, meetingId: string, input: { title: string; description?: string; speakerId?: string }) {
      authorize(actor, 'talk.create');
      await deps.access.visibleMeeting(actor, meetingId);
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
