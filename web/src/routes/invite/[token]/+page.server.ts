import { fail, redirect } from '@sveltejs/kit';
import { callApi } from '$lib/server/api';
import { relaySession } from '$lib/server/session';
import type { Role, User } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

interface Invite {
  email: string;
  name: string;
  role: Role;
  orgName: string;
  expiresAt: string;
}

export const load: PageServerLoad = async (event) => {
  const invite = await callApi<Invite>(event, `/invites/${encodeURIComponent(event.params.token)}`);
  // An invitation that is used up or unknown is explained on the page, not as an error screen.
  return invite.ok ? { invite: invite.data, problem: null } : { invite: null, problem: invite.message };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const name = String(form.get('name') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const repeat = String(form.get('repeat') ?? '');
    if (!password) return fail(400, { name, message: 'Choose a password.' });
    if (password !== repeat) return fail(400, { name, message: 'The two passwords differ. Type the same password twice.' });
    const result = await callApi<{ user: User }>(event, `/invites/${encodeURIComponent(event.params.token)}/accept`, {
      method: 'POST',
      body: { password, ...(name ? { name } : {}) },
    });
    if (!result.ok) return fail(result.status, { name, message: result.message });
    if (!relaySession(event, result.response, form.get('timeZone'))) redirect(303, '/login');
    redirect(303, '/');
  },
};
