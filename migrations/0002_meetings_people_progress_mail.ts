import { Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('groups')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // "Sales" and "sales" are one group to the people choosing an audience.
  await sql`create unique index groups_org_name on groups (org_id, lower(name))`.execute(db);

  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'uuid', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('group_members_user').on('group_members').column('user_id').execute();

  await db.schema
    .createTable('invites')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    // The sha256 of the link's token, like sessions: a leaked table holds no usable links.
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('group_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('invited_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('invites_email_lower', sql`email = lower(email)`)
    .addCheckConstraint('invites_role', sql`role in ('admin', 'facilitator', 'speaker', 'member')`)
    .execute();
  await db.schema.createIndex('invites_org_email').on('invites').columns(['org_id', 'email']).execute();

  await db.schema
    .alterTable('meetings')
    .addColumn('agenda', 'text')
    .addColumn('audience', 'text', (c) => c.notNull().defaultTo('org'))
    .addColumn('published_at', 'timestamptz')
    // Bumped on each change of times, so calendar clients replace the event instead of adding one.
    .addColumn('schedule_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retention_days', 'integer')
    .addColumn('media_deleted_at', 'timestamptz')
    .execute();
  await db.schema.alterTable('meetings').addCheckConstraint('meetings_audience', sql`audience in ('org', 'groups')`).execute();
  await db.schema
    .alterTable('meetings')
    .addCheckConstraint('meetings_retention_days', sql`retention_days is null or retention_days between 0 and 3650`)
    .execute();
  // Meetings that existed before audiences were introduced were visible to everyone: keep them so.
  await sql`update meetings set published_at = created_at where published_at is null`.execute(db);

  await db.schema
    .createTable('meeting_audience_groups')
    .addColumn('meeting_id', 'uuid', (c) => c.notNull().references('meetings.id').onDelete('cascade'))
    .addColumn('group_id', 'uuid', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('meeting_audience_groups_pk', ['meeting_id', 'group_id'])
    .execute();

  await db.schema
    .createTable('watch_progress')
    .addColumn('talk_id', 'uuid', (c) => c.notNull().references('talks.id').onDelete('cascade'))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    // Whole seconds watched, merged on every write: re-watching a part never counts it twice.
    .addColumn('watched', sql`int4multirange`, (c) => c.notNull().defaultTo(sql`'{}'::int4multirange`))
    .addColumn('watched_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completion', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('position_sec', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('watch_progress_pk', ['talk_id', 'user_id'])
    .addCheckConstraint('watch_progress_completion', sql`completion between 0 and 1`)
    .execute();
  await db.schema.createIndex('watch_progress_user').on('watch_progress').column('user_id').execute();

  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('org_id', 'uuid', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('to_email', 'text', (c) => c.notNull())
    .addColumn('to_name', 'text')
    // Ids the worker renders the message from at send time; never a copy of rows.
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // One message per purpose and person: a second enqueue of the same reminder is a no-op.
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('failed_at', 'timestamptz')
    .addColumn('last_error', 'text')
    .addCheckConstraint('mail_outbox_kind', sql`kind in ('invite', 'meeting_published', 'meeting_changed', 'reminder_24h', 'qa_soon')`)
    .execute();
  await sql`create index mail_outbox_pending on mail_outbox (created_at) where sent_at is null and failed_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['mail_outbox', 'watch_progress', 'meeting_audience_groups']) await db.schema.dropTable(table).execute();
  await db.schema.alterTable('meetings').dropConstraint('meetings_audience').execute();
  await db.schema.alterTable('meetings').dropConstraint('meetings_retention_days').execute();
  await db.schema
    .alterTable('meetings')
    .dropColumn('agenda')
    .dropColumn('audience')
    .dropColumn('published_at')
    .dropColumn('schedule_version')
    .dropColumn('retention_days')
    .dropColumn('media_deleted_at')
    .execute();
  for (const table of ['invites', 'group_members', 'groups']) await db.schema.dropTable(table).execute();
}
