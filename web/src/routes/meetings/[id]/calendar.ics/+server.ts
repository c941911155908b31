import { loadFromApi } from '$lib/server/api';
import { calendarEvent } from '$lib/server/ics';
import { visitorOrigin } from '$lib/server/origin';
import type { Meeting } from '$lib/types';
import type { RequestHandler } from './$types';

/** The live Q&A as a calendar event, so people can block the time. */
export const GET: RequestHandler = async (event) => {
  const meeting = await loadFromApi<Meeting>(event, `/meetings/${encodeURIComponent(event.params.id)}`);
  const starts = new Date(meeting.qaStartsAt);
  const body = calendarEvent({
    uid: `${meeting.id}-qa@timeshift`,
    title: `Live Q&A: ${meeting.title}`,
    starts,
    ends: new Date(starts.getTime() + meeting.qaDurationMinutes * 60_000),
    description: `Watch the talks before ${new Date(meeting.windowClosesAt).toUTCString()}: ${visitorOrigin(event)}/meetings/${meeting.id}`,
    location: meeting.qaJoinUrl,
  });
  return new Response(body, {
    headers: { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': 'attachment; filename="timeshift-qa.ics"' },
  });
};
