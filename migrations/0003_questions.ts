import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('meetings')
    .addColumn('require_approval', 'boolean', (c) => c.notNull().defaultTo(false))
    // The room's sequence lives with the meeting, so that every API process numbers events alike.
    .addColumn('live_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('current_question_id', 'uuid')
    .addColumn('agenda_frozen_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('questions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('meeting_id', 'uuid', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('talk_id', 'uuid', (c) => c.references('talks.id').onDelete('set null'))
    .addColumn('at_sec', 'double precision')
    // Kept even for anonymous questions (limits, editing one's own, notifying the asker); never sent out.
    .addColumn('author_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('anonymous', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('approved'))
    .addColumn('pinned', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('merged_into', 'uuid', (c) => c.references('questions.id').onDelete('set null'))
    .addColumn('vote_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('agenda_rank', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('questions_status', sql`status in ('pending', 'approved', 'hidden', 'answering', 'answered')`)
    .addCheckConstraint('questions_text_length', sql`char_length(text) between 1 and 500`)
    .addCheckConstraint('questions_at_sec', sql`at_sec is null or at_sec >= 0`)
    .execute();
  await db.schema.createIndex('questions_meeting').on('questions').columns(['meeting_id', 'created_at']).execute();
  await db.schema.createIndex('questions_author').on('questions').columns(['meeting_id', 'author_id']).execute();
  await db.schema
    .alterTable('meetings')
    .addForeignKeyConstraint('meetings_current_question', ['current_question_id'], 'questions', ['id'])
    .onDelete('set null')
    .execute();

  await db.schema
    .createTable('question_votes')
    .addColumn('question_id', 'uuid', (c) => c.notNull().references('questions.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // One vote per person per question, enforced by the database rather than by a read before the write.
    .addPrimaryKeyConstraint('question_votes_pk', ['question_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('live_events')
    .addColumn('meeting_id', 'uuid', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull().defaultTo('all'))
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('live_events_pk', ['meeting_id', 'seq'])
    .addCheckConstraint('live_events_audience', sql`audience in ('all', 'moderators')`)
    .execute();

  await db.schema
    .createTable('live_presence')
    .addColumn('meeting_id', 'uuid', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('live_presence_pk', ['meeting_id', 'node_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('live_presence').execute();
  await db.schema.dropTable('live_events').execute();
  await db.schema.dropTable('question_votes').execute();
  await db.schema.alterTable('meetings').dropConstraint('meetings_current_question').execute();
  await db.schema.dropTable('questions').execute();
  await db.schema
    .alterTable('meetings')
    .dropColumn('require_approval')
    .dropColumn('live_seq')
    .dropColumn('current_question_id')
    .dropColumn('agenda_frozen_at')
    .execute();
}
