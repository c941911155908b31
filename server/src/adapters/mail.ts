import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface MailboxMessage {
  id: string;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  attachments: { filename?: string; contentType: string; content: string; encoding: 'utf8' | 'base64' }[];
}

export interface DevMailbox {
  list(options?: { to?: string; limit?: number }): Promise<MailboxMessage[]>;
}

/**
 * The messages the embedded SMTP server caught (scripts/embedded/smtp.ts writes one JSON file each).
 * Only ever wired in embedded mode, where the folder is set.
 */
export function folderMailbox(dir: string): DevMailbox {
  return {
    async list(options = {}) {
      const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort().reverse();
      const out: MailboxMessage[] = [];
      for (const name of names) {
        const message = JSON.parse(await readFile(join(dir, name), 'utf8')) as MailboxMessage;
        if (options.to && !message.to.some((t) => t.toLowerCase() === options.to!.toLowerCase())) continue;
        out.push(message);
        if (out.length >= (options.limit ?? 100)) break;
      }
      return out;
    },
  };
}
