import { Type, type TSchema } from '@sinclair/typebox';

export const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid });

export const UserDto = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  orgId: Type.String(),
  role: Type.Union([Type.Literal('admin'), Type.Literal('facilitator'), Type.Literal('speaker'), Type.Literal('member')]),
});

export const Phase = Type.Union([Type.Literal('scheduled'), Type.Literal('open'), Type.Literal('qa'), Type.Literal('closed')]);
export const TalkStateSchema = Type.Union(
  ['draft', 'uploading', 'processing', 'playable', 'ready', 'failed', 'archived'].map((s) => Type.Literal(s)),
);

/** Declares the error answers a route may give, so that the OpenAPI document lists them. */
export function withErrors<T extends Record<number, TSchema>>(ok: T, ...statuses: number[]) {
  const out: Record<number, TSchema> = { ...ok };
  for (const s of statuses) out[s] = ErrorBody;
  return out;
}
