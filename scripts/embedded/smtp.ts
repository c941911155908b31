// A local SMTP server that keeps every message it receives as JSON in a folder: the embedded mode's
// stand-in for a mail provider, so a newcomer sees invitations and reminders arrive (GET /api/v1/dev/mailbox).
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  id: string;
  receivedAt: string;
  messageId?: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  attachments: { filename?: string; contentType: string; content: string; encoding: 'utf8' | 'base64' }[];
}

export interface MailCatcher {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startMailCatcher(dir: string): Promise<MailCatcher> {
  await mkdir(dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 20 * 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const receivedAt = new Date();
          const id = `${receivedAt.getTime()}-${randomBytes(4).toString('hex')}`;
          const caught: CaughtMail = {
            id,
            receivedAt: receivedAt.toISOString(),
            messageId: mail.messageId,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            attachments: mail.attachments.map((a) => {
              const textual = a.contentType.startsWith('text/');
              return { filename: a.filename, contentType: a.contentType, content: a.content.toString(textual ? 'utf8' : 'base64'), encoding: textual ? ('utf8' as const) : ('base64' as const) };
            }),
          };
          // Written under a temporary name, then renamed: a reader never sees half a message.
          await writeFile(join(dir, `.${id}.tmp`), JSON.stringify(caught, null, 2));
          await rename(join(dir, `.${id}.tmp`), join(dir, `${id}.json`));
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    dir,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
