import { loadFromApi } from '$lib/server/api';
import type { Meeting } from '$lib/types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { meetings } = await loadFromApi<{ meetings: Meeting[] }>(event, '/meetings');
  const by = (phase: Meeting['phase']) => meetings.filter((m) => m.phase === phase);
  const soonestFirst = (key: 'windowClosesAt' | 'windowOpensAt') => (a: Meeting, b: Meeting) => a[key].localeCompare(b[key]);
  return {
    open: [...by('qa'), ...by('open').sort(soonestFirst('windowClosesAt'))],
    upcoming: by('scheduled').sort(soonestFirst('windowOpensAt')),
    past: by('closed').sort((a, b) => b.windowClosesAt.localeCompare(a.windowClosesAt)),
  };
};
