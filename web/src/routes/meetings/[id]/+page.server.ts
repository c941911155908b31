import { fail, redirect } from '@sveltejs/kit';
import { callApi, loadFromApi } from '$lib/server/api';
import type { MeetingWithTalks, TalkSummary } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
  meeting: await loadFromApi<MeetingWithTalks>(event, `/meetings/${encodeURIComponent(event.params.id)}`),
});

export const actions: Actions = {
  addTalk: async (event) => {
    const form = await event.request.formData();
    const title = String(form.get('title') ?? '').trim();
    const description = String(form.get('description') ?? '').trim();
    if (!title) return fail(400, { title, description, message: 'Give the talk a title.' });
    const result = await callApi<TalkSummary>(event, `/meetings/${encodeURIComponent(event.params.id)}/talks`, {
      method: 'POST',
      body: { title, ...(description ? { description } : {}) },
    });
    if (!result.ok) return fail(result.status, { title, description, message: result.message });
    // The next thing a speaker does with a new talk is upload its recording.
    redirect(303, `/studio/talks/${result.data.id}`);
  },
};
