import { sql, type Kysely } from 'kysely';

// A tus upload lives across many requests: it needs to know where it came from and when it was last fed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('uploads')
    .addColumn('resumable', 'boolean', (c) => c.notNull().defaultTo(false))
    // The talk's state before this upload began, restored when the upload is cancelled or abandoned.
    .addColumn('previous_talk_state', 'text')
    .addColumn('declared_bytes', 'bigint')
    .addColumn('last_activity_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('uploads_receiving_activity')
    .on('uploads')
    .column('last_activity_at')
    .where(sql.ref('state'), '=', 'receiving')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('uploads_receiving_activity').execute();
  await db.schema
    .alterTable('uploads')
    .dropColumn('resumable')
    .dropColumn('previous_talk_state')
    .dropColumn('declared_bytes')
    .dropColumn('last_activity_at')
    .execute();
}
