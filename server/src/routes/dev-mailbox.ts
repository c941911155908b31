import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { DevMailbox } from '../adapters/mail.ts';

const Message = Type.Object({
  id: Type.String(),
  receivedAt: Type.String(),
  from: Type.String(),
  to: Type.Array(Type.String()),
  subject: Type.String(),
  text: Type.String(),
  attachments: Type.Array(Type.Object({ filename: Type.Optional(Type.String()), contentType: Type.String(), content: Type.String(), encoding: Type.String() })),
});

/** Embedded mode only: what the local SMTP server caught, so invitations can be followed without a mail provider. */
export const devMailboxRoutes = (mailbox: DevMailbox): FastifyPluginAsyncTypebox => async (app) => {
  app.get(
    '/dev/mailbox',
    {
      config: { public: true },
      schema: {
        querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 320 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
        response: { 200: Type.Object({ messages: Type.Array(Message) }) },
      },
    },
    async (request) => ({ messages: await mailbox.list(request.query) }),
  );
};
