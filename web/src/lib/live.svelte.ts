// One live Q&A room over the API's WebSocket: a snapshot first, then numbered events. On a dropped
// connection it reconnects with the last number it saw, so nothing is lost and nothing is applied twice.
import type { Phase, Question, QuestionStatus } from './types';

type LiveQuestion = Omit<Question, 'votedByMe' | 'mine'> & { votedByMe?: boolean; mine?: boolean };

export interface LiveMeeting {
  id: string;
  title: string;
  phase: Phase;
  windowClosesAt: string;
  qaStartsAt: string;
  qaEndsAt: string;
  qaJoinUrl?: string;
  currentQuestionId: string | null;
}

type Connection = 'connecting' | 'open' | 'reconnecting' | 'closed';

const ORDER: Record<QuestionStatus, number> = { answering: 0, approved: 2, pending: 3, answered: 4, hidden: 5 };

export class LiveRoom {
  meeting = $state<LiveMeeting | null>(null);
  questions = $state<LiveQuestion[]>([]);
  presence = $state(0);
  connection = $state<Connection>('connecting');
  moderator = $state(false);
  error = $state<string | null>(null);

  #socket: WebSocket | null = null;
  #seq = -1;
  #retries = 0;
  #stopped = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly meetingId: string) {}

  get current(): LiveQuestion | undefined {
    const id = this.meeting?.currentQuestionId;
    return id ? this.questions.find((q) => q.id === id) : undefined;
  }

  /** Open questions first, most votes first; answered ones last. */
  get ranked(): LiveQuestion[] {
    const weight = (q: LiveQuestion) => (q.status !== 'answering' && q.pinned ? 1 : ORDER[q.status]);
    return [...this.questions].filter((q) => q.status !== 'hidden' || this.moderator).sort((a, b) => weight(a) - weight(b) || b.votes - a.votes || a.createdAt.localeCompare(b.createdAt));
  }

  connect(): void {
    this.#stopped = false;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const since = this.#seq >= 0 ? `?since=${this.#seq}` : '';
    const socket = new WebSocket(`${scheme}://${location.host}/api/v1/meetings/${this.meetingId}/live${since}`);
    this.#socket = socket;
    socket.onopen = () => {
      this.connection = 'open';
      this.#retries = 0;
    };
    socket.onmessage = (e) => this.#receive(JSON.parse(String(e.data)) as Record<string, unknown>);
    socket.onclose = (e) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      if (this.#stopped) return;
      // 1008 is the server refusing this person; retrying would not change its mind.
      if (e.code === 1008) {
        this.connection = 'closed';
        this.error = e.reason || 'You cannot join this room.';
        return;
      }
      this.connection = 'reconnecting';
      const delay = Math.min(10_000, 500 * 2 ** this.#retries++);
      this.#timer = setTimeout(() => this.connect(), delay);
    };
  }

  close(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#socket?.close(1000);
    this.#socket = null;
    this.connection = 'closed';
  }

  send(command: Record<string, unknown>): boolean {
    if (this.#socket?.readyState !== WebSocket.OPEN) {
      this.error = 'Not connected right now; try again in a moment.';
      return false;
    }
    this.#socket.send(JSON.stringify(command));
    return true;
  }

  vote(q: LiveQuestion): void {
    if (this.send({ type: q.votedByMe ? 'unvote' : 'vote', questionId: q.id })) q.votedByMe = !q.votedByMe;
  }

  #upsert(question: LiveQuestion): void {
    const existing = this.questions.find((q) => q.id === question.id);
    if (existing) Object.assign(existing, { ...question, votedByMe: question.votedByMe ?? existing.votedByMe, mine: question.mine ?? existing.mine });
    else this.questions.push(question);
  }

  #receive(m: Record<string, unknown>): void {
    // Presence carries the room's current number rather than a new one: it is a reading, not an event.
    if (m.type === 'presence') {
      this.presence = Number(m.count ?? 0);
      return;
    }
    if (typeof m.seq === 'number' && m.type !== 'snapshot' && m.type !== 'catch_up') {
      // Catch-up can overlap with what already arrived: an event is applied once.
      if (m.seq <= this.#seq) return;
      this.#seq = m.seq;
    }
    switch (m.type) {
      case 'snapshot':
        this.meeting = m.meeting as LiveMeeting;
        this.questions = m.questions as LiveQuestion[];
        this.presence = Number(m.presence ?? 0);
        this.moderator = Boolean((m.you as { moderator?: boolean } | undefined)?.moderator);
        this.#seq = Number(m.seq);
        this.error = null;
        break;
      case 'question':
      case 'question_updated':
      case 'status':
      case 'asked':
      case 'updated':
        this.#upsert(m.question as LiveQuestion);
        break;
      case 'vote':
      case 'voted': {
        const q = this.questions.find((x) => x.id === (m.questionId ?? m.id));
        if (q) {
          q.votes = Number(m.votes);
          if (typeof m.votedByMe === 'boolean') q.votedByMe = m.votedByMe;
        }
        break;
      }
      case 'question_deleted':
        this.questions = this.questions.filter((q) => q.id !== m.questionId);
        break;
      case 'current':
        if (this.meeting) this.meeting.currentQuestionId = (m.questionId as string | null) ?? null;
        break;
      case 'timer':
      case 'timer_extended':
        if (this.meeting && typeof m.qaEndsAt === 'string') this.meeting.qaEndsAt = m.qaEndsAt;
        break;
      case 'error':
        this.error = String(m.message ?? 'That did not work.');
        break;
      case 'merged':
      case 'settings':
      case 'agenda_frozen':
        // These change what the snapshot holds in ways easiest to take whole: reconnect from scratch.
        this.#seq = -1;
        this.#socket?.close(4000);
        break;
    }
  }
}
