import { sql, type Kysely } from 'kysely';
import type { Database } from '@timeshift/shared/db/schema';
import type { HealthProbe } from '../services/health-service.ts';

export function healthRepository(db: Kysely<Database>): HealthProbe {
  return {
    async db() {
      await sql`select 1`.execute(db);
    },
  };
}
