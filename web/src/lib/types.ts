// The shapes of the API's answers (see shared/API.md), as the web app reads them.

export type Role = 'admin' | 'facilitator' | 'speaker' | 'member';

export interface User {
  id: string;
  email: string;
  name: string;
  orgId: string;
  role: Role;
}

export type Phase = 'scheduled' | 'open' | 'qa' | 'closed';
export type TalkState = 'draft' | 'uploading' | 'processing' | 'playable' | 'ready' | 'failed';

export interface Meeting {
  id: string;
  title: string;
  description?: string;
  windowOpensAt: string;
  windowClosesAt: string;
  qaStartsAt: string;
  qaDurationMinutes: number;
  qaJoinUrl?: string;
  phase: Phase;
  agenda?: string;
  publishedAt?: string;
  audience?: 'org' | 'groups';
  audienceGroupIds?: string[];
  retentionDays?: number;
}

export interface TalkSummary {
  id: string;
  meetingId: string;
  speakerId?: string;
  title: string;
  state: TalkState;
  durationSeconds?: number;
}

export interface Progress {
  completion: number;
  positionSec: number;
}

export interface MeetingWithTalks extends Meeting {
  talks: (TalkSummary & { progress?: Progress })[];
}

export interface TalkStep {
  step: string;
  state: 'pending' | 'running' | 'done' | 'failed';
  percent: number;
  error?: string;
}

export type QuestionStatus = 'pending' | 'approved' | 'hidden' | 'answering' | 'answered';

export interface Question {
  id: string;
  meetingId: string;
  text: string;
  votes: number;
  votedByMe: boolean;
  mine: boolean;
  status: QuestionStatus;
  pinned: boolean;
  talkId?: string;
  atSec?: number;
  author?: { id: string; name: string };
  createdAt: string;
  answer?: { live: boolean; answeredAt: string; text?: string; talkId?: string; atSec?: number };
}

export interface Talk extends TalkSummary {
  description?: string;
  failureReason?: string;
  renditions: { height: number; width: number; bandwidth: number }[];
  captions: { lang: string; label: string; source: string }[];
  posterUrl?: string;
  steps?: TalkStep[];
}

export interface Playback {
  masterPlaylistUrl: string;
  captions: { lang: string; label: string; url: string }[];
  posterUrl: string | null;
  storyboardUrl?: string;
  expiresAt: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}

export const isPlayable = (state: TalkState) => state === 'playable' || state === 'ready';
export const isStaff = (user: User) => user.role === 'admin' || user.role === 'facilitator';
export const canManageTalk = (user: User, talk: { speakerId?: string }) => isStaff(user) || talk.speakerId === user.id;

export interface Person {
  id: string;
  email: string;
  name: string;
  role: Role;
  groupIds: string[];
}

export interface Group {
  id: string;
  name: string;
  memberIds: string[];
}

export interface PersonWatching {
  id: string;
  name: string;
  email: string;
  talksStarted: number;
  talksFinished: number;
}

export interface MeetingInsights {
  meetingId: string;
  audienceSize: number;
  talks: { talkId: string; title: string; viewers: number; averageCompletion: number }[];
  people: PersonWatching[];
  notWatched: PersonWatching[];
  notFinished: PersonWatching[];
}

export interface QaRecord {
  answeredLive: Question[];
  answeredLater: Question[];
  open: Question[];
}
