import { error } from '@sveltejs/kit';
import { callApi, loadFromApi } from '$lib/server/api';
import type { TalkInsights } from '$lib/insights';
import { canManageTalk, type Meeting, type Talk } from '$lib/types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const talk = await loadFromApi<Talk>(event, `/talks/${encodeURIComponent(event.params.id)}`);
  if (!event.locals.user || !canManageTalk(event.locals.user, talk)) {
    error(403, { message: 'Only the talk’s speaker, a facilitator or an admin can open its studio.' });
  }
  const [meeting, insights] = await Promise.all([
    loadFromApi<Meeting>(event, `/meetings/${encodeURIComponent(talk.meetingId)}`),
    callApi<TalkInsights>(event, `/talks/${encodeURIComponent(talk.id)}/insights`),
  ]);
  // The studio still works without its audience figures; the section then says why they are missing.
  return { talk, meeting, insights: insights.ok ? insights.data : null, insightsError: insights.ok ? null : insights.message };
};
