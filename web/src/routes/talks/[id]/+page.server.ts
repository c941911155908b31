import { callApi, loadFromApi } from '$lib/server/api';
import type { Meeting, Progress, Talk } from '$lib/types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const id = encodeURIComponent(event.params.id);
  const talk = await loadFromApi<Talk>(event, `/talks/${id}`);
  const [meeting, progress] = await Promise.all([
    loadFromApi<Meeting>(event, `/meetings/${encodeURIComponent(talk.meetingId)}`),
    // Without a saved position the talk simply starts at the beginning.
    callApi<Progress>(event, `/talks/${id}/progress`),
  ]);
  return { talk, meeting, progress: progress.ok ? progress.data : null };
};
