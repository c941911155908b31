import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One row per processing step of one upload, so the UI can show each step's progress.
  await db.schema
    .createTable('talk_steps')
    .addColumn('upload_id', 'uuid', (c) => c.notNull().references('uploads.id').onDelete('cascade'))
    .addColumn('talk_id', 'uuid', (c) => c.notNull().references('talks.id').onDelete('cascade'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('percent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('talk_steps_pk', ['upload_id', 'step'])
    .addCheckConstraint('talk_steps_state', sql`state in ('pending', 'running', 'done', 'failed')`)
    .addCheckConstraint('talk_steps_percent', sql`percent between 0 and 100`)
    .execute();
  await db.schema.createIndex('talk_steps_talk').on('talk_steps').column('talk_id').execute();

  // What the poster and storyboard steps made for one upload; keys are derived from the ids.
  await db.schema
    .createTable('talk_assets')
    .addColumn('upload_id', 'uuid', (c) => c.primaryKey().references('uploads.id').onDelete('cascade'))
    .addColumn('talk_id', 'uuid', (c) => c.notNull().references('talks.id').onDelete('cascade'))
    .addColumn('has_poster', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('storyboard', 'jsonb')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('talk_assets').execute();
  await db.schema.dropTable('talk_steps').execute();
}
