// One-shot step of a deployment (docker compose's "migrate" service): our migrations, the job queue's
// migrations and the bucket, before any API or worker serves. It never seeds: outside embedded mode the
// first admin is created with the admin command.
import { prepare } from './prepare.ts';

prepare(process.env, { seed: false }).then(
  () => console.log('› database and job queue migrated; bucket present'),
  (e: unknown) => {
    console.error(`✖ migration failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
