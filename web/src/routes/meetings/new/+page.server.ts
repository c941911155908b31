import { error, fail, redirect } from '@sveltejs/kit';
import { callApi } from '$lib/server/api';
import { toUtcIso } from '$lib/server/zoned-time';
import { isStaff, type Meeting } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (!locals.user || !isStaff(locals.user)) error(403, { message: 'Only facilitators and admins can create meetings.' });
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const values = Object.fromEntries(['title', 'description', 'windowOpensAt', 'windowClosesAt', 'qaStartsAt', 'qaDurationMinutes', 'qaJoinUrl'].map((k) => [k, text(k)]));
    const zone = event.locals.timeZone;
    const opens = toUtcIso(values.windowOpensAt!, zone);
    const closes = toUtcIso(values.windowClosesAt!, zone);
    const qaStarts = toUtcIso(values.qaStartsAt!, zone);
    if (!values.title) return fail(400, { values, message: 'Give the meeting a title.' });
    if (!opens || !closes) return fail(400, { values, message: 'Pick when the viewing window opens and closes.' });
    const duration = values.qaDurationMinutes ? Number(values.qaDurationMinutes) : undefined;

    const result = await callApi<Meeting>(event, '/meetings', {
      method: 'POST',
      body: {
        title: values.title,
        ...(values.description ? { description: values.description } : {}),
        windowOpensAt: opens,
        windowClosesAt: closes,
        ...(qaStarts ? { qaStartsAt: qaStarts } : {}),
        ...(duration !== undefined && Number.isFinite(duration) ? { qaDurationMinutes: duration } : {}),
        ...(values.qaJoinUrl ? { qaJoinUrl: values.qaJoinUrl } : {}),
      },
    });
    if (!result.ok) return fail(result.status, { values, message: result.message });
    redirect(303, `/meetings/${result.data.id}`);
  },
};
