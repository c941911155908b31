import type { Kysely } from 'kysely';
import type { Database } from '@timeshift/shared/db/schema';
import { audienceRepository } from './audience.ts';
import { meetingsRepository } from './meetings.ts';
import { outboxRepository } from './outbox.ts';

function repositories(db: Kysely<Database>) {
  return { meetings: meetingsRepository(db), audience: audienceRepository(db), outbox: outboxRepository(db) };
}
export type MeetingRepositories = ReturnType<typeof repositories>;

/** The repositories a meeting change touches, and a way to run several of them in one transaction. */
export function meetingStore(db: Kysely<Database>) {
  return {
    ...repositories(db),
    transaction<T>(work: (r: MeetingRepositories) => Promise<T>): Promise<T> {
      return db.transaction().execute((trx) => work(repositories(trx)));
    },
  };
}
export type MeetingStore = ReturnType<typeof meetingStore>;
