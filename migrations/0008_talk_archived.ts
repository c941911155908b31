import { Kysely, sql } from 'kysely';

// Retention (issue 4): a talk whose media was deleted after its meeting's retention period is "archived".
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('talks').dropConstraint('talks_state').execute();
  await db.schema
    .alterTable('talks')
    .addCheckConstraint('talks_state', sql`state in ('draft', 'uploading', 'processing', 'playable', 'ready', 'failed', 'archived')`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update talks set state = 'failed', failure_reason = 'The recording was deleted when the meeting''s retention period ended.' where state = 'archived'`.execute(db);
  await db.schema.alterTable('talks').dropConstraint('talks_state').execute();
  await db.schema
    .alterTable('talks')
    .addCheckConstraint('talks_state', sql`state in ('draft', 'uploading', 'processing', 'playable', 'ready', 'failed')`)
    .execute();
}
