// Pure shaping of the frozen agenda and the speaker's brief from ranked questions.
import type { QuestionView } from './question-dto.ts';

export interface AgendaItem extends QuestionView {
  /** Place in the ranking frozen at the window's close; absent for questions asked during the Q&A. */
  rank?: number;
}

export interface AgendaTalk {
  id: string;
  title: string;
}

/** One section per talk in meeting order, then the questions about the meeting as a whole. */
export function groupAgenda(items: AgendaItem[], talks: AgendaTalk[]) {
  const byRank = (a: AgendaItem, b: AgendaItem) =>
    (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) || b.votes - a.votes || (a.createdAt < b.createdAt ? -1 : 1);
  const sections = talks.map((t) => ({ talkId: t.id as string | undefined, title: t.title, questions: items.filter((q) => q.talkId === t.id).sort(byRank) }));
  const known = new Set(talks.map((t) => t.id));
  sections.push({ talkId: undefined, title: 'About the meeting', questions: items.filter((q) => !q.talkId || !known.has(q.talkId)).sort(byRank) });
  return sections.filter((s) => s.questions.length > 0);
}

/** Seconds per moment: close enough to point at one slide, wide enough to gather several questions. */
export const MOMENT_SECONDS = 30;

/** The stretches of a talk with the most questions pinned, most first. */
export function busiestMoments(atSecs: number[], limit = 5) {
  const counts = new Map<number, number>();
  for (const at of atSecs) {
    const bucket = Math.floor(at / MOMENT_SECONDS);
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, limit)
    .map(([bucket, questions]) => ({ startSec: bucket * MOMENT_SECONDS, endSec: (bucket + 1) * MOMENT_SECONDS, questions }));
}
