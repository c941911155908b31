import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { TalkState } from '../talk-state.ts';

export type Role = 'admin' | 'facilitator' | 'speaker' | 'member';
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, never, never>;

export interface OrgsTable {
  id: Generated<string>;
  name: string;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string | null;
  created_at: CreatedAt;
}

export interface MembershipsTable {
  user_id: string;
  org_id: string;
  role: Role;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  org_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface MeetingsTable {
  id: Generated<string>;
  org_id: string;
  title: string;
  description: string | null;
  window_opens_at: Timestamp;
  window_closes_at: Timestamp;
  qa_starts_at: Timestamp;
  qa_duration_minutes: number;
  qa_join_url: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  // Live Q&A (0003_questions).
  require_approval: Generated<boolean>;
  live_seq: ColumnType<string, never, string>;
  current_question_id: string | null;
  agenda_frozen_at: Timestamp | null;
}

export interface TalksTable {
  id: Generated<string>;
  org_id: string;
  meeting_id: string;
  speaker_id: string | null;
  title: string;
  description: string | null;
  position: Generated<number>;
  state: ColumnType<TalkState, TalkState | undefined, TalkState>;
  failure_reason: string | null;
  duration_seconds: number | null;
  playing_upload_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type UploadState = 'receiving' | 'stored' | 'aborted';

export interface UploadsTable {
  id: Generated<string>;
  org_id: string;
  talk_id: string;
  uploaded_by: string | null;
  file_name: string | null;
  content_type: string | null;
  size_bytes: ColumnType<string | null, number | null | undefined, number | null>;
  state: ColumnType<UploadState, UploadState | undefined, UploadState>;
  created_at: CreatedAt;
  completed_at: Timestamp | null;
}

export interface RenditionsTable {
  id: Generated<string>;
  talk_id: string;
  upload_id: string;
  height: number;
  width: number;
  bandwidth: number;
  codecs: string;
  playlist: string;
  created_at: CreatedAt;
}

export interface CaptionTracksTable {
  id: Generated<string>;
  talk_id: string;
  lang: string;
  label: string;
  source: 'asr' | 'upload' | 'edited';
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface Database {
  orgs: OrgsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  meetings: MeetingsTable;
  talks: TalksTable;
  uploads: UploadsTable;
  renditions: RenditionsTable;
  caption_tracks: CaptionTracksTable;
  questions: QuestionsTable;
  question_votes: QuestionVotesTable;
  live_events: LiveEventsTable;
  live_presence: LivePresenceTable;
}

export type Talk = Selectable<TalksTable>;
export type NewTalk = Insertable<TalksTable>;
export type TalkUpdate = Updateable<TalksTable>;
export type Meeting = Selectable<MeetingsTable>;
export type Rendition = Selectable<RenditionsTable>;
export type Upload = Selectable<UploadsTable>;

export type QuestionStatus = 'pending' | 'approved' | 'hidden' | 'answering' | 'answered';

export interface QuestionsTable {
  id: Generated<string>;
  org_id: string;
  meeting_id: string;
  talk_id: string | null;
  at_sec: number | null;
  author_id: string | null;
  anonymous: boolean;
  text: string;
  status: QuestionStatus;
  pinned: Generated<boolean>;
  merged_into: string | null;
  vote_count: Generated<number>;
  agenda_rank: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface QuestionVotesTable {
  question_id: string;
  user_id: string;
  created_at: CreatedAt;
}

export type LiveAudience = 'all' | 'moderators';

export interface LiveEventsTable {
  meeting_id: string;
  seq: ColumnType<string, string | number, never>;
  type: string;
  audience: LiveAudience;
  payload: ColumnType<Record<string, unknown>, string, never>;
  created_at: CreatedAt;
}

export interface LivePresenceTable {
  meeting_id: string;
  node_id: string;
  count: number;
  updated_at: Timestamp;
}

export type Question = Selectable<QuestionsTable>;
export type LiveEventRow = Selectable<LiveEventsTable>;
