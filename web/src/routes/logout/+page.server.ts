import { redirect } from '@sveltejs/kit';
import { callApi, SESSION_COOKIE } from '$lib/server/api';
import { isHttps } from '$lib/server/origin';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
  default: async (event) => {
    await callApi(event, '/auth/logout', { method: 'POST' });
    event.cookies.delete(SESSION_COOKIE, { path: '/', secure: isHttps(event.request) });
    redirect(303, '/login');
  },
};
