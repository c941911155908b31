import nodemailer from 'nodemailer';

export interface OutgoingMail {
  /** Stable per outbox row, so that a resend after a crash can be recognised as the same message. */
  messageId: string;
  to: string;
  subject: string;
  text: string;
  ics?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** SMTP through nodemailer; SMTP_URL is e.g. smtp://user:pass@mail.example.com:587 (the embedded mode sets a local one). */
export function smtpMailer(url: string, from: string): Mailer {
  // Pooled connections: an outbox backlog goes out over a few open connections instead of one handshake per mail.
  const pooled = /[?&]pool=/.test(url) ? url : `${url}${url.includes('?') ? '&' : '?'}pool=true&maxConnections=4`;
  const transport = nodemailer.createTransport(pooled);
  return {
    async send(mail) {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        attachments: mail.ics ? [{ filename: 'meeting.ics', content: mail.ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }] : [],
      });
    },
    close: () => transport.close(),
  };
}
