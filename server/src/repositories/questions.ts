import { sql, type Kysely } from 'kysely';
import type { Database, Question, QuestionStatus } from '@timeshift/shared/db/schema';

export type QuestionRow = Question & { author_name: string | null };

export interface NewQuestion {
  orgId: string;
  meetingId: string;
  authorId: string;
  text: string;
  anonymous: boolean;
  status: QuestionStatus;
  talkId: string | null;
  atSec: number | null;
}

/** Bound to the pool or to one transaction: the live repository hands a bound copy to work done under a room lock. */
export function questionsRepository(db: Kysely<Database>) {
  const withAuthor = () =>
    db
      .selectFrom('questions')
      .leftJoin('users', 'users.id', 'questions.author_id')
      .selectAll('questions')
      .select('users.name as author_name');

  return {
    async find(orgId: string, id: string): Promise<QuestionRow | undefined> {
      return withAuthor().where('questions.org_id', '=', orgId).where('questions.id', '=', id).executeTakeFirst();
    },
    async listForMeeting(orgId: string, meetingId: string): Promise<QuestionRow[]> {
      return withAuthor()
        .where('questions.org_id', '=', orgId)
        .where('questions.meeting_id', '=', meetingId)
        .where('questions.merged_into', 'is', null)
        .orderBy('questions.created_at')
        .limit(10_000)
        .execute();
    },
    async votedBy(meetingId: string, userId: string): Promise<Set<string>> {
      const rows = await db
        .selectFrom('question_votes')
        .innerJoin('questions', 'questions.id', 'question_votes.question_id')
        .select('question_votes.question_id')
        .where('questions.meeting_id', '=', meetingId)
        .where('question_votes.user_id', '=', userId)
        .execute();
      return new Set(rows.map((r) => r.question_id));
    },
    async hasVoted(questionId: string, userId: string): Promise<boolean> {
      const row = await db.selectFrom('question_votes').select('user_id').where('question_id', '=', questionId).where('user_id', '=', userId).executeTakeFirst();
      return Boolean(row);
    },
    async countByAuthor(meetingId: string, authorId: string): Promise<number> {
      const row = await db
        .selectFrom('questions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('meeting_id', '=', meetingId)
        .where('author_id', '=', authorId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async insert(q: NewQuestion): Promise<QuestionRow> {
      const { id } = await db
        .insertInto('questions')
        .values({
          org_id: q.orgId,
          meeting_id: q.meetingId,
          author_id: q.authorId,
          text: q.text,
          anonymous: q.anonymous,
          status: q.status,
          talk_id: q.talkId,
          at_sec: q.atSec,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return (await this.find(q.orgId, id))!;
    },
    async update(orgId: string, id: string, patch: { text?: string; status?: QuestionStatus; pinned?: boolean; mergedInto?: string }): Promise<QuestionRow> {
      await db
        .updateTable('questions')
        .set({
          updated_at: new Date(),
          ...(patch.text !== undefined ? { text: patch.text } : {}),
          ...(patch.status !== undefined ? { status: patch.status } : {}),
          ...(patch.pinned !== undefined ? { pinned: patch.pinned } : {}),
          ...(patch.mergedInto !== undefined ? { merged_into: patch.mergedInto } : {}),
        })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .execute();
      return (await this.find(orgId, id))!;
    },
    async delete(orgId: string, id: string): Promise<void> {
      await db.deleteFrom('questions').where('org_id', '=', orgId).where('id', '=', id).execute();
    },
    /**
     * Adds a vote and keeps the count in step, in one statement. A second vote by the same person hits
     * the primary key and changes nothing. Callers hold the room lock, so the count cannot race.
     */
    async addVote(questionId: string, userId: string): Promise<{ added: boolean; votes: number }> {
      const { rows } = await sql<{ added: number; votes: number }>`
        with added as (insert into question_votes (question_id, user_id) values (${questionId}, ${userId}) on conflict do nothing returning 1)
        update questions set vote_count = vote_count + (select count(*)::int from added)
        where id = ${questionId}
        returning (select count(*)::int from added) as added, vote_count as votes`.execute(db);
      return { added: rows[0]!.added === 1, votes: rows[0]!.votes };
    },
    async removeVote(questionId: string, userId: string): Promise<boolean> {
      const r = await db.deleteFrom('question_votes').where('question_id', '=', questionId).where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
    /** Stores and returns the number of distinct voters. */
    async recount(questionId: string): Promise<number> {
      const row = await db
        .updateTable('questions')
        .set({ vote_count: sql<number>`(select count(*)::int from question_votes where question_id = ${questionId})` })
        .where('id', '=', questionId)
        .returning('vote_count')
        .executeTakeFirstOrThrow();
      return row.vote_count;
    },
    /** Copies a question's voters onto another; someone who voted for both still counts once. */
    async moveVotes(fromId: string, toId: string): Promise<void> {
      await sql`insert into question_votes (question_id, user_id, created_at)
                select ${toId}, user_id, created_at from question_votes where question_id = ${fromId}
                on conflict do nothing`.execute(db);
      // Questions merged earlier into the one being merged now follow it to the new target.
      await db.updateTable('questions').set({ merged_into: toId }).where('merged_into', '=', fromId).execute();
    },
    /** Records an answer: `live` when it was given in the live Q&A, otherwise in text (and perhaps a moment) later. */
    async setAnswer(id: string, answer: { live: boolean; by: string; at: Date; text?: string; talkId?: string; atSec?: number } | null): Promise<void> {
      await db
        .updateTable('questions')
        .set(
          answer
            ? { answered_live: answer.live, answered_by: answer.by, answered_at: answer.at, answer_text: answer.text ?? null, answer_talk_id: answer.talkId ?? null, answer_at_sec: answer.atSec ?? null }
            : { answered_live: false, answered_by: null, answered_at: null, answer_text: null, answer_talk_id: null, answer_at_sec: null },
        )
        .where('id', '=', id)
        .execute();
    },
    /** Writes the agenda order once: rank by pinned, votes, age; later questions keep a null rank. */
    async freezeAgenda(meetingId: string): Promise<void> {
      await sql`update questions q set agenda_rank = r.rank
                from (select id, row_number() over (order by pinned desc, vote_count desc, created_at, id) as rank
                      from questions
                      where meeting_id = ${meetingId} and merged_into is null and status in ('approved', 'answering', 'answered')) r
                where q.id = r.id`.execute(db);
    },
  };
}
export type QuestionsRepository = ReturnType<typeof questionsRepository>;
