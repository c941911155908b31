import { Kysely, sql } from 'kysely';

// Answers to questions: live (marked answered during the Q&A) or later, in text and optionally a moment of a talk.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('questions')
    .addColumn('answer_text', 'text')
    .addColumn('answer_talk_id', 'uuid', (c) => c.references('talks.id').onDelete('set null'))
    .addColumn('answer_at_sec', 'double precision')
    .addColumn('answered_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('answered_at', 'timestamptz')
    .addColumn('answered_live', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema.alterTable('questions').addCheckConstraint('questions_answer_length', sql`answer_text is null or char_length(answer_text) between 1 and 5000`).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('questions').dropConstraint('questions_answer_length').execute();
  await db.schema
    .alterTable('questions')
    .dropColumn('answer_text')
    .dropColumn('answer_talk_id')
    .dropColumn('answer_at_sec')
    .dropColumn('answered_by')
    .dropColumn('answered_at')
    .dropColumn('answered_live')
    .execute();
}
