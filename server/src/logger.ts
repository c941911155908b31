import type { FastifyServerOptions } from 'fastify';

/** Playback tokens ride in query strings; they never reach a log, and neither do cookies. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|X-Amz-Signature|X-Amz-Credential)=)[^&]*/gi, '$1[redacted]');
}

export const loggerOptions: FastifyServerOptions['logger'] = {
  level: process.env.LOG_LEVEL || 'info',
  redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
  serializers: {
    req: (req: { method: string; url: string }) => ({ method: req.method, url: redactUrl(req.url) }),
  },
};
