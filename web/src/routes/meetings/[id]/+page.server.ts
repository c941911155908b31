import { fail, redirect } from '@sveltejs/kit';
import { callApi, loadFromApi } from '$lib/server/api';
import { toUtcIso } from '$lib/server/zoned-time';
import { isStaff, type Group, type MeetingInsights, type MeetingWithTalks, type Person, type QaRecord, type TalkSummary } from '$lib/types';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const id = encodeURIComponent(event.params.id);
  const staff = !!event.locals.user && isStaff(event.locals.user);
  const [meeting, people, groups, insights] = await Promise.all([
    loadFromApi<MeetingWithTalks>(event, `/meetings/${id}`),
    staff ? callApi<{ people: Person[] }>(event, '/people') : undefined,
    staff ? callApi<{ groups: Group[] }>(event, '/groups') : undefined,
    staff ? callApi<MeetingInsights>(event, `/meetings/${id}/insights`) : undefined,
  ]);
  // The record is what a past meeting is for; an open one shows its live question list instead.
  const record = meeting.phase === 'closed' ? await callApi<QaRecord>(event, `/meetings/${id}/record`) : undefined;
  return {
    meeting,
    record: record?.ok ? record.data : undefined,
    recordError: record && !record.ok ? record.message : undefined,
    // Only what the manage and insight panels need; a failed side call leaves its panel with a message, not the page broken.
    speakers: people?.ok ? people.data.people.filter((p) => p.role === 'speaker') : [],
    groups: groups?.ok ? groups.data.groups : [],
    insights: insights?.ok ? insights.data : undefined,
    insightsError: insights && !insights.ok ? insights.message : undefined,
  };
};

const meetingPath = (id: string) => `/meetings/${encodeURIComponent(id)}`;

export const actions: Actions = {
  addTalk: async (event) => {
    const form = await event.request.formData();
    const title = String(form.get('title') ?? '').trim();
    const description = String(form.get('description') ?? '').trim();
    const speakerId = String(form.get('speakerId') ?? '');
    if (!title) return fail(400, { title, description, message: 'Give the talk a title.' });
    const result = await callApi<TalkSummary>(event, `${meetingPath(event.params.id)}/talks`, {
      method: 'POST',
      body: { title, ...(description ? { description } : {}), ...(speakerId ? { speakerId } : {}) },
    });
    if (!result.ok) return fail(result.status, { title, description, message: result.message });
    // The next thing a speaker does with a new talk is upload its recording.
    redirect(303, `/studio/talks/${result.data.id}`);
  },

  update: async (event) => {
    const form = await event.request.formData();
    const zone = event.locals.timeZone;
    const times: Record<string, string> = {};
    for (const name of ['windowOpensAt', 'windowClosesAt', 'qaStartsAt']) {
      const raw = String(form.get(name) ?? '');
      // Only times the person changed are sent, so that moving the close can carry along a Q&A that started at it.
      if (raw === String(form.get(`was-${name}`) ?? '')) continue;
      const iso = toUtcIso(raw, zone);
      if (raw && !iso) return fail(400, { manage: true, message: 'One of the times could not be read. Pick it again with the date-time picker.' });
      if (iso) times[name] = iso;
    }
    const duration = Number(form.get('qaDurationMinutes') ?? '');
    const audience = String(form.get('audience') ?? 'org');
    const groupIds = form.getAll('groupIds').map(String);
    if (audience === 'groups' && groupIds.length === 0) return fail(400, { manage: true, message: 'Pick at least one group, or choose the whole organisation.' });
    const result = await callApi<MeetingWithTalks>(event, meetingPath(event.params.id), {
      method: 'PATCH',
      body: {
        ...times,
        ...(Number.isInteger(duration) && duration > 0 ? { qaDurationMinutes: duration } : {}),
        audienceGroupIds: audience === 'groups' ? groupIds : null,
      },
    });
    if (!result.ok) return fail(result.status, { manage: true, message: result.message });
    return { manage: true, saved: 'Changes saved. If the times moved, the audience gets an updated invitation.' };
  },

  publish: async (event) => {
    const result = await callApi<MeetingWithTalks>(event, `${meetingPath(event.params.id)}/publish`, { method: 'POST' });
    if (!result.ok) return fail(result.status, { manage: true, message: result.message });
    return { manage: true, saved: 'Published: the audience can now see the meeting and has been invited.' };
  },
};
