// Composes questions and the live room for one API process: repositories, the room hub, and the listener.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '@timeshift/shared/clock';
import type { Database } from '@timeshift/shared/db/schema';
import { pgLiveListener, type LiveListener } from '../adapters/realtime.ts';
import { liveRepository } from '../repositories/live.ts';
import type { MeetingsRepository } from '../repositories/meetings.ts';
import { questionsRepository } from '../repositories/questions.ts';
import type { TalksRepository } from '../repositories/talks.ts';
import { liveHub } from './live-hub.ts';
import { liveService } from './live-service.ts';
import { questionAgendaService } from './question-agenda-service.ts';
import { questionService } from './question-service.ts';

export interface LiveQaDeps {
  db: Kysely<Database>;
  meetings: MeetingsRepository;
  talks: TalksRepository;
  clock: Clock;
  /**
   * The database to LISTEN on, so that several API processes serve one room. Without it this process
   * still serves its own rooms (events are handed over in-process), which suffices for one process.
   */
  databaseUrl?: string;
  onError?(error: unknown): void;
}

export function liveQa(deps: LiveQaDeps) {
  const nodeId = randomUUID();
  const live = liveRepository(deps.db);
  const onError = deps.onError ?? (() => undefined);
  const hub = liveHub({
    eventsAfter: live.eventsAfter,
    currentSeq: live.currentSeq,
    publishPresence: async (meetingId, count) => {
      const total = await live.publishPresence(meetingId, nodeId, count);
      // With a listener the notification brings the total back to this process too.
      if (!listener) hub.presence(meetingId, total);
    },
    onError,
  });
  const roomDeps = { meetings: deps.meetings, questions: questionsRepository(deps.db), talks: deps.talks, live, clock: deps.clock, announce: hub.committed };
  const questions = questionService(roomDeps);
  let listener: LiveListener | undefined;

  return {
    questions,
    agenda: questionAgendaService(roomDeps),
    live: liveService({ meetings: deps.meetings, live, hub, questions, clock: deps.clock }),
    hub,
    async start(): Promise<void> {
      if (!deps.databaseUrl) return;
      listener = pgLiveListener(deps.databaseUrl, {
        onNotice: (n) => ('seq' in n ? hub.heard(n.meetingId, n.seq) : hub.presence(n.meetingId, n.presence)),
        onResync: hub.resync,
        onError,
      });
      await listener.start();
    },
    async close(): Promise<void> {
      hub.close();
      await listener?.close();
      await live.forgetNode(nodeId).catch(() => undefined);
    },
  };
}
export type LiveQa = ReturnType<typeof liveQa>;
