import { Kysely, sql } from 'kysely';

// The seconds each person watched more than once, so that speakers see which parts people went back to.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('watch_progress')
    .addColumn('rewatched', sql`int4multirange`, (c) => c.notNull().defaultTo(sql`'{}'::int4multirange`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('watch_progress').dropColumn('rewatched').execute();
}
