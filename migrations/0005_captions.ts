import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Which recording an automatic track was made from, so that a replaced recording gets fresh captions.
  await db.schema
    .alterTable('caption_tracks')
    .addColumn('upload_id', 'uuid', (c) => c.references('uploads.id').onDelete('set null'))
    .execute();

  await db.schema
    .createTable('caption_cues')
    .addColumn('track_id', 'uuid', (c) => c.notNull().references('caption_tracks.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('talk_id', 'uuid', (c) => c.notNull().references('talks.id').onDelete('cascade'))
    .addColumn('start_sec', 'double precision', (c) => c.notNull())
    .addColumn('end_sec', 'double precision', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    // Kept by Postgres itself, so an edit can never leave the search index stale.
    .addColumn('search', sql`tsvector`, (c) => c.generatedAlwaysAs(sql`to_tsvector('english', text)`).stored())
    .addPrimaryKeyConstraint('caption_cues_pk', ['track_id', 'seq'])
    .addCheckConstraint('caption_cues_times', sql`start_sec >= 0 and end_sec > start_sec`)
    .addCheckConstraint('caption_cues_text', sql`length(text) between 1 and 1000`)
    .execute();
  await db.schema.createIndex('caption_cues_search').on('caption_cues').using('gin').column('search').execute();
  await db.schema.createIndex('caption_cues_talk').on('caption_cues').column('talk_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('caption_cues').execute();
  await db.schema.alterTable('caption_tracks').dropColumn('upload_id').execute();
}
