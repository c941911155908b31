import { sql, type Kysely } from 'kysely';
import type { Database, MailKind } from '@timeshift/shared/db/schema';
import { inAudience } from './audience.ts';

/**
 * Writes mail to the outbox, in the caller's transaction: the mail exists exactly when the change it
 * announces was committed. A worker sends it (workers/src/tasks/mail-flush.ts).
 */
export function outboxRepository(db: Kysely<Database>) {
  return {
    async enqueue(input: { orgId: string; kind: MailKind; toEmail: string; toName: string | null; payload: Record<string, unknown>; dedupeKey: string }): Promise<boolean> {
      const result = await db
        .insertInto('mail_outbox')
        .values({
          org_id: input.orgId,
          kind: input.kind,
          to_email: input.toEmail,
          to_name: input.toName,
          payload: JSON.stringify(input.payload),
          dedupe_key: input.dedupeKey,
        })
        .onConflict((c) => c.column('dedupe_key').doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    /** One mail to one member of the organisation, addressed from their user row. */
    async enqueueForUser(input: { orgId: string; userId: string; kind: MailKind; payload: Record<string, unknown>; dedupeKey: string }): Promise<number> {
      const result = await sql`
        insert into mail_outbox (org_id, kind, to_email, to_name, payload, dedupe_key)
        select ${input.orgId}::uuid, ${input.kind}, u.email, u.name, ${JSON.stringify(input.payload)}::jsonb, ${input.dedupeKey}
        from users u join memberships m on m.user_id = u.id and m.org_id = ${input.orgId}::uuid
        where u.id = ${input.userId}::uuid
        on conflict (dedupe_key) do nothing`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },
    /** One mail to each person in the meeting's audience; `dedupeKey` gets the user id appended. */
    async enqueueForAudience(input: { orgId: string; meetingId: string; kind: MailKind; payload: Record<string, unknown>; dedupeKey: string }): Promise<number> {
      const result = await sql`
        insert into mail_outbox (org_id, kind, to_email, to_name, payload, dedupe_key)
        select ${input.orgId}::uuid, ${input.kind}, u.email, u.name, ${JSON.stringify(input.payload)}::jsonb, ${input.dedupeKey} || ':' || u.id
        from users u join memberships m on m.user_id = u.id and m.org_id = ${input.orgId}::uuid
        where ${inAudience(input.meetingId, sql.ref('u.id'))}
        on conflict (dedupe_key) do nothing`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },
  };
}
export type OutboxRepository = ReturnType<typeof outboxRepository>;
