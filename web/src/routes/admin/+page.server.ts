import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { callApi, loadFromApi } from '$lib/server/api';
import { caughtMail } from '$lib/server/dev-mailbox';
import type { Group, Person, Role } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

export type { Group, Person };
export interface Invite {
  id: string;
  email: string;
  name: string;
  role: Role;
  groupIds: string[];
  expiresAt: string;
}

const ROLES: Role[] = ['admin', 'facilitator', 'speaker', 'member'];
const NOT_ADMIN = 'Only admins can manage members, groups and invitations.';

function requireAdmin(event: Pick<RequestEvent, 'locals'>) {
  if (event.locals.user?.role !== 'admin') error(403, { message: NOT_ADMIN });
}

export const load: PageServerLoad = async (event) => {
  requireAdmin(event);
  const [{ people }, { groups }, { invites }, mailbox] = await Promise.all([
    loadFromApi<{ people: Person[] }>(event, '/people'),
    loadFromApi<{ groups: Group[] }>(event, '/groups'),
    loadFromApi<{ invites: Invite[] }>(event, '/invites'),
    caughtMail(event, { limit: 1 }),
  ]);
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  return { people: people.sort(byName), groups: groups.sort(byName), invites, devMailbox: !('unavailable' in mailbox) };
};

type Form = Awaited<ReturnType<RequestEvent['request']['formData']>>;

/** Runs one admin change and turns an API refusal into the message shown beside the form that made it. */
async function change(event: RequestEvent, action: string, run: (form: Form) => Promise<{ ok: boolean; status: number; message?: string }> | { ok: false; status: number; message: string }, done?: string) {
  if (event.locals.user?.role !== 'admin') return fail(403, { action, message: NOT_ADMIN });
  const form = await event.request.formData();
  const result = await run(form);
  if (!result.ok) return fail(result.status, { action, message: result.message ?? 'That did not work. Try again.' });
  return { action, done };
}

const field = (form: Form, name: string) => String(form.get(name) ?? '').trim();
const path = (s: string) => encodeURIComponent(s);
const missing = (message: string) => ({ ok: false as const, status: 400, message });

export const actions: Actions = {
  role: (event) =>
    change(event, 'role', (form) => {
      const role = field(form, 'role') as Role;
      if (!ROLES.includes(role)) return missing('Choose one of the roles.');
      return callApi(event, `/people/${path(field(form, 'personId'))}`, { method: 'PATCH', body: { role } });
    }, 'Role saved.'),

  createGroup: (event) =>
    change(event, 'createGroup', (form) => {
      const name = field(form, 'name');
      if (!name) return missing('Give the group a name, such as “Engineering”.');
      return callApi(event, '/groups', { method: 'POST', body: { name } });
    }, 'Group created.'),

  deleteGroup: (event) => change(event, 'deleteGroup', (form) => callApi(event, `/groups/${path(field(form, 'groupId'))}`, { method: 'DELETE' }), 'Group deleted.'),

  addMember: (event) =>
    change(event, 'addMember', (form) => {
      const userId = field(form, 'userId');
      if (!userId) return missing('Choose a person to add.');
      return callApi(event, `/groups/${path(field(form, 'groupId'))}/members/${path(userId)}`, { method: 'PUT' });
    }, 'Added to the group.'),

  removeMember: (event) =>
    change(event, 'removeMember', (form) => callApi(event, `/groups/${path(field(form, 'groupId'))}/members/${path(field(form, 'userId'))}`, { method: 'DELETE' }), 'Removed from the group.'),

  invite: async (event) => {
    if (event.locals.user?.role !== 'admin') return fail(403, { action: 'invite', message: NOT_ADMIN });
    const form = await event.request.formData();
    const values = { email: field(form, 'email'), name: field(form, 'name'), role: (field(form, 'role') || 'member') as Role };
    const groupIds = form.getAll('groupIds').map(String).filter(Boolean);
    if (!values.email) return fail(400, { action: 'invite', message: 'Enter the email address to send the invitation to.', values });
    if (!values.name) return fail(400, { action: 'invite', message: 'Enter the person’s name, so the invitation greets them.', values });
    if (!ROLES.includes(values.role)) return fail(400, { action: 'invite', message: 'Choose one of the roles.', values });
    const result = await callApi<Invite & { inviteUrl: string }>(event, '/invites', { method: 'POST', body: { ...values, ...(groupIds.length ? { groupIds } : {}) } });
    if (!result.ok) return fail(result.status, { action: 'invite', message: result.message, values });
    return { action: 'invite', done: `Invitation sent to ${result.data.email}.`, inviteUrl: result.data.inviteUrl };
  },
};
