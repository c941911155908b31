import { loadFromApi } from '$lib/server/api';
import type { Meeting, Talk } from '$lib/types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const talk = await loadFromApi<Talk>(event, `/talks/${encodeURIComponent(event.params.id)}`);
  const meeting = await loadFromApi<Meeting>(event, `/meetings/${encodeURIComponent(talk.meetingId)}`);
  return { talk, meeting };
};
