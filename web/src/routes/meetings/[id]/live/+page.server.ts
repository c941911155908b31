import { loadFromApi } from '$lib/server/api';
import type { Meeting } from '$lib/types';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
  meeting: await loadFromApi<Meeting>(event, `/meetings/${encodeURIComponent(event.params.id)}`),
});
