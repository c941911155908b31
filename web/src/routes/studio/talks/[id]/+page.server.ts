import { error } from '@sveltejs/kit';
import { loadFromApi } from '$lib/server/api';
import { canManageTalk, type Meeting, type Talk } from '$lib/types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const talk = await loadFromApi<Talk>(event, `/talks/${encodeURIComponent(event.params.id)}`);
  if (!event.locals.user || !canManageTalk(event.locals.user, talk)) {
    error(403, { message: 'Only the talk’s speaker, a facilitator or an admin can open its studio.' });
  }
  const meeting = await loadFromApi<Meeting>(event, `/meetings/${encodeURIComponent(talk.meetingId)}`);
  return { talk, meeting };
};
