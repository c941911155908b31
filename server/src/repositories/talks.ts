import { sql, type Kysely } from 'kysely';
import type { Database, Rendition, Talk } from '@timeshift/shared/db/schema';
import type { TalkState } from '@timeshift/shared/talk-state';

export function talksRepository(db: Kysely<Database>) {
  return {
    async create(input: { orgId: string; meetingId: string; speakerId: string | null; title: string; description: string | null }): Promise<Talk> {
      return db
        .insertInto('talks')
        .values({
          org_id: input.orgId,
          meeting_id: input.meetingId,
          speaker_id: input.speakerId,
          title: input.title,
          description: input.description,
          // Talks keep the order they were added in.
          position: sql<number>`(select coalesce(max(position), 0) + 1 from talks where meeting_id = ${input.meetingId})`,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },
    async find(orgId: string, id: string): Promise<Talk | undefined> {
      return db.selectFrom('talks').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    },
    async listForMeeting(orgId: string, meetingId: string): Promise<Talk[]> {
      return db.selectFrom('talks').selectAll().where('org_id', '=', orgId).where('meeting_id', '=', meetingId).orderBy('position').execute();
    },
    /**
     * Moves a talk only if it is still in the state the caller saw: two uploads racing
     * for one talk cannot both win.
     */
    async transition(id: string, from: TalkState, to: TalkState, extra: { failureReason?: string | null } = {}): Promise<boolean> {
      const result = await db
        .updateTable('talks')
        .set({ state: to, updated_at: new Date(), ...(extra.failureReason !== undefined ? { failure_reason: extra.failureReason } : {}) })
        .where('id', '=', id)
        .where('state', '=', from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async renditionsOf(talkId: string, uploadId: string | null): Promise<Rendition[]> {
      if (!uploadId) return [];
      return db.selectFrom('renditions').selectAll().where('talk_id', '=', talkId).where('upload_id', '=', uploadId).orderBy('height', 'desc').execute();
    },
    async stepsOf(uploadId: string | null) {
      if (!uploadId) return [];
      return db.selectFrom('talk_steps').select(['step', 'state', 'percent', 'error']).where('upload_id', '=', uploadId).orderBy('step').execute();
    },
    async assetsOf(uploadId: string | null) {
      if (!uploadId) return undefined;
      return db.selectFrom('talk_assets').select(['has_poster', 'storyboard']).where('upload_id', '=', uploadId).executeTakeFirst();
    },
    async captionTracksOf(talkId: string) {
      return db.selectFrom('caption_tracks').select(['lang', 'label', 'source']).where('talk_id', '=', talkId).orderBy('lang').execute();
    },
  };
}
export type TalksRepository = ReturnType<typeof talksRepository>;

