import type { ObjectStorage } from '@timeshift/shared/storage/s3';

export interface HealthProbe {
  db(): Promise<void>;
}

export function healthService(deps: { probe: HealthProbe; storage: ObjectStorage }) {
  const ok = (p: Promise<unknown>) =>
    Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2500).unref())]).catch(() => false);
  return {
    async check() {
      const [db, storage] = await Promise.all([ok(deps.probe.db()), ok(deps.storage.ping())]);
      return { ok: db && storage, db, storage };
    },
  };
}
