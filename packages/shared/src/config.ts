// Runtime configuration, read once from the environment. Every variable is listed in the README.
export interface Config {
  port: number;
  dataDir: string;
  databaseUrl: string;
  publicUrl?: string;
  s3: S3Config;
  maxUploadBytes: number;
  maxDurationSeconds: number;
  /** A resumable upload without a byte for this long is aborted. */
  uploadAbandonHours: number;
  demoPassword: string;
  sessionSecret: string;
  secureCookies: boolean;
}

export interface S3Config {
  endpoint: string;
  publicEndpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const GiB = 1024 ** 3;

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return Math.floor(value);
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set. Run through "npm start", or set it (see README, Configuration).`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const endpoint = required(env, 'S3_ENDPOINT');
  return {
    port: intFrom(env, 'PORT', 3000),
    dataDir: env.DATA_DIR || '.data',
    databaseUrl: required(env, 'DATABASE_URL'),
    publicUrl: env.PUBLIC_URL || undefined,
    s3: {
      endpoint,
      publicEndpoint: env.S3_PUBLIC_ENDPOINT || endpoint,
      region: env.S3_REGION || 'us-east-1',
      bucket: env.S3_BUCKET || 'timeshift',
      accessKeyId: required(env, 'S3_ACCESS_KEY_ID'),
      secretAccessKey: required(env, 'S3_SECRET_ACCESS_KEY'),
    },
    maxUploadBytes: intFrom(env, 'MAX_UPLOAD_BYTES', 8 * GiB),
    maxDurationSeconds: intFrom(env, 'MAX_DURATION_SECONDS', 4 * 3600),
    uploadAbandonHours: intFrom(env, 'UPLOAD_ABANDON_HOURS', 24),
    demoPassword: env.DEMO_PASSWORD || 'timeshift-demo',
    sessionSecret: required(env, 'SESSION_SECRET'),
    secureCookies: env.SECURE_COOKIES === 'true',
  };
}
