import { fail, redirect } from '@sveltejs/kit';
import { callApi } from '$lib/server/api';
import { relaySession } from '$lib/server/session';
import type { User } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

/** Only paths on this site: an open redirect would let a link send people elsewhere after signing in. */
function safeNext(value: string | null): string {
  return value && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : '/';
}

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
  return { next: safeNext(url.searchParams.get('next')) };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    if (!email || !password) return fail(400, { email, message: 'Enter your email address and password.' });

    const result = await callApi<{ user: User }>(event, '/auth/login', { method: 'POST', body: { email, password } });
    if (!result.ok) return fail(result.status, { email, message: result.message });

    if (!relaySession(event, result.response, form.get('timeZone'))) {
      return fail(502, { email, message: 'Signing in did not start a session. Try again in a moment.' });
    }
    redirect(303, safeNext(event.url.searchParams.get('next')));
  },
};
