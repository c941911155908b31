import { Kysely, sql } from 'kysely';

// The person who asked hears when their question is answered after the Q&A.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table mail_outbox drop constraint mail_outbox_kind`.execute(db);
  await sql`alter table mail_outbox add constraint mail_outbox_kind check (kind in ('invite', 'meeting_published', 'meeting_changed', 'reminder_24h', 'qa_soon', 'question_answered'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from mail_outbox where kind = 'question_answered'`.execute(db);
  await sql`alter table mail_outbox drop constraint mail_outbox_kind`.execute(db);
  await sql`alter table mail_outbox add constraint mail_outbox_kind check (kind in ('invite', 'meeting_published', 'meeting_changed', 'reminder_24h', 'qa_soon'))`.execute(db);
}
