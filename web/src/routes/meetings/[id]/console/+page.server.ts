import { error } from '@sveltejs/kit';
import { loadFromApi } from '$lib/server/api';
import { isStaff, type Meeting } from '$lib/types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user || !isStaff(event.locals.user)) error(403, { message: 'Only facilitators and admins can run the live console.' });
  return { meeting: await loadFromApi<Meeting>(event, `/meetings/${encodeURIComponent(event.params.id)}`) };
};
