import { error, fail } from '@sveltejs/kit';
import { callApi, loadFromApi } from '$lib/server/api';
import { isStaff, type MeetingWithTalks, type Question } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (!event.locals.user || !isStaff(event.locals.user)) error(403, { message: 'Only facilitators and admins can moderate questions.' });
  const id = encodeURIComponent(event.params.id);
  const [meeting, { questions }] = await Promise.all([
    loadFromApi<MeetingWithTalks>(event, `/meetings/${id}`),
    loadFromApi<{ questions: Question[] }>(event, `/meetings/${id}/questions?sort=new`),
  ]);
  return { meeting, questions };
};

const MODERATED = new Set(['approved', 'hidden']);

export const actions: Actions = {
  requireApproval: async (event) => {
    const form = await event.request.formData();
    const requireApproval = form.get('requireApproval') === 'on';
    const result = await callApi<{ requireApproval: boolean }>(event, `/meetings/${encodeURIComponent(event.params.id)}/moderation`, {
      method: 'PUT',
      body: { requireApproval },
    });
    if (!result.ok) return fail(result.status, { message: result.message });
    return { requireApproval: result.data.requireApproval, saved: result.data.requireApproval ? 'New questions now wait for your approval.' : 'New questions now appear at once.' };
  },

  status: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const status = String(form.get('status') ?? '');
    if (!id || !MODERATED.has(status)) return fail(400, { message: 'Choose approve or hide for a question.' });
    const result = await callApi<Question>(event, `/questions/${encodeURIComponent(id)}`, { method: 'PATCH', body: { status } });
    if (!result.ok) return fail(result.status, { message: result.message });
    return { saved: status === 'approved' ? 'Question approved: everyone can see and vote on it.' : 'Question hidden.' };
  },

  merge: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const into = String(form.get('into') ?? '');
    if (!id || !into) return fail(400, { message: 'Pick the question to merge this duplicate into.' });
    const result = await callApi<Question>(event, `/questions/${encodeURIComponent(id)}/merge`, { method: 'POST', body: { into } });
    if (!result.ok) return fail(result.status, { message: result.message });
    return { saved: `Merged. The question now has ${result.data.votes} ${result.data.votes === 1 ? 'vote' : 'votes'}.` };
  },
};
