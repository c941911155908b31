import { randomBytes } from 'node:crypto';
import { startEmbeddedPostgres, type EmbeddedService } from './postgres.ts';
import { startEmbeddedS3 } from './s3.ts';

export interface ProvisionedStack {
  env: Record<string, string>;
  embedded: { postgres: boolean; s3: boolean };
  stop(): Promise<void>;
}

/**
 * Starts embedded PostgreSQL and S3 for whatever the environment does not configure,
 * and returns the environment that every Timeshift process needs.
 */
export async function provisionStack(dataDir: string, log: (line: string) => void, base = process.env): Promise<ProvisionedStack> {
  const services: EmbeddedService[] = [];
  const env: Record<string, string> = {};
  const bucket = base.S3_BUCKET || 'timeshift';
  try {
    if (!base.DATABASE_URL) {
      const pg = await startEmbeddedPostgres(dataDir, log);
      services.push(pg);
      env.DATABASE_URL = pg.url;
    }
    if (!base.S3_ENDPOINT) {
      const s3 = await startEmbeddedS3(dataDir, bucket);
      services.push(s3);
      Object.assign(env, {
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: bucket,
        S3_REGION: 'us-east-1',
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      });
    }
  } catch (e) {
    await Promise.allSettled(services.reverse().map((s) => s.stop()));
    throw e;
  }
  if (!base.SESSION_SECRET) env.SESSION_SECRET = randomBytes(32).toString('hex');
  return {
    env,
    embedded: { postgres: !base.DATABASE_URL, s3: !base.S3_ENDPOINT },
    stop: async () => {
      for (const s of services.reverse()) await s.stop().catch(() => undefined);
    },
  };
}
