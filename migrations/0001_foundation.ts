import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('orgs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('users_email_lower', sql`email = lower(email)`)
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('memberships_pk', ['user_id', 'org_id'])
    .addCheckConstraint('memberships_role', sql`role in ('admin', 'facilitator', 'speaker', 'member')`)
    .execute();

  await db.schema
    .createTable('sessions')
    // The sha256 of the cookie token: a leaked table does not leak usable sessions.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('meetings')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('window_opens_at', 'timestamptz', (c) => c.notNull())
    .addColumn('window_closes_at', 'timestamptz', (c) => c.notNull())
    .addColumn('qa_starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('qa_duration_minutes', 'integer', (c) => c.notNull().defaultTo(20))
    .addColumn('qa_join_url', 'text')
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('meetings_window_order', sql`window_closes_at > window_opens_at`)
    .addCheckConstraint('meetings_qa_after_close', sql`qa_starts_at >= window_closes_at`)
    .addCheckConstraint('meetings_qa_duration', sql`qa_duration_minutes between 1 and 480`)
    .execute();
  await db.schema.createIndex('meetings_org').on('meetings').columns(['org_id', 'window_opens_at']).execute();

  await db.schema
    .createTable('talks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('meeting_id', 'uuid', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('speaker_id', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('failure_reason', 'text')
    .addColumn('duration_seconds', 'double precision')
    // The upload whose renditions playback points at; swapped in one update once a new one is playable.
    .addColumn('playing_upload_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint(
      'talks_state',
      sql`state in ('draft', 'uploading', 'processing', 'playable', 'ready', 'failed')`,
    )
    .execute();
  await db.schema.createIndex('talks_meeting').on('talks').columns(['meeting_id', 'position']).execute();

  await db.schema
    .createTable('uploads')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('talk_id', 'uuid', (c) => c.notNull().references('talks.id').onDelete('cascade'))
    .addColumn('uploaded_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('file_name', 'text')
    .addColumn('content_type', 'text')
    .addColumn('size_bytes', 'bigint')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('receiving'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('completed_at', 'timestamptz')
    .addCheckConstraint('uploads_state', sql`state in ('receiving', 'stored', 'aborted')`)
    .execute();
  await db.schema.createIndex('uploads_talk').on('uploads').column('talk_id').execute();
  await db.schema
    .alterTable('talks')
    .addForeignKeyConstraint('talks_playing_upload', ['playing_upload_id'], 'uploads', ['id'])
    .onDelete('set null')
    .execute();

  await db.schema
    .createTable('renditions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('talk_id', 'uuid', (c) => c.notNull().references('talks.id').onDelete('cascade'))
    .addColumn('upload_id', 'uuid', (c) => c.notNull().references('uploads.id').onDelete('cascade'))
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('bandwidth', 'integer', (c) => c.notNull())
    .addColumn('codecs', 'text', (c) => c.notNull())
    // Relative to the upload's HLS prefix, e.g. "720/index.m3u8".
    .addColumn('playlist', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('renditions_unique', ['upload_id', 'height'])
    .execute();

  await db.schema
    .createTable('caption_tracks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('talk_id', 'uuid', (c) => c.notNull().references('talks.id').onDelete('cascade'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('caption_tracks_unique', ['talk_id', 'lang'])
    .addCheckConstraint('caption_tracks_source', sql`source in ('asr', 'upload', 'edited')`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['caption_tracks', 'renditions']) await db.schema.dropTable(table).execute();
  await db.schema.alterTable('talks').dropConstraint('talks_playing_upload').execute();
  for (const table of ['uploads', 'talks', 'meetings', 'sessions', 'memberships', 'users', 'orgs']) {
    await db.schema.dropTable(table).execute();
  }
}
