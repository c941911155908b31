import { callApi, loadFromApi } from '$lib/server/api';
import type { Meeting, MeetingWithTalks } from '$lib/types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { meetings } = await loadFromApi<{ meetings: Meeting[] }>(event, '/meetings');
  const by = (phase: Meeting['phase']) => meetings.filter((m) => m.phase === phase);
  const soonestFirst = (key: 'windowClosesAt' | 'windowOpensAt') => (a: Meeting, b: Meeting) => a[key].localeCompare(b[key]);
  const open = [...by('qa'), ...by('open').sort(soonestFirst('windowClosesAt'))];
  // My progress per talk lives on each meeting's detail; a detail that fails just leaves its card without the list.
  const details = await Promise.all(open.map((m) => callApi<MeetingWithTalks>(event, `/meetings/${encodeURIComponent(m.id)}`)));
  const talksOf: Record<string, MeetingWithTalks['talks']> = {};
  details.forEach((d, i) => {
    if (d.ok) talksOf[open[i]!.id] = d.data.talks;
  });
  return {
    open,
    talksOf,
    upcoming: by('scheduled').sort(soonestFirst('windowOpensAt')),
    past: by('closed').sort((a, b) => b.windowClosesAt.localeCompare(a.windowClosesAt)),
  };
};
