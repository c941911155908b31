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
  // Resumable (tus) uploads, migration 0006.
  resumable: ColumnType<boolean, boolean | undefined, boolean>;
  previous_talk_state: TalkState | null;
  declared_bytes: ColumnType<string | null, number | null | undefined, number | null>;
  last_activity_at: Timestamp | null;
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
  // Answers (0009_question_answers).
  answer_text: string | null;
  answer_talk_id: string | null;
  answer_at_sec: number | null;
  answered_by: string | null;
  answered_at: Timestamp | null;
  answered_live: Generated<boolean>;
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

// Issue 4: people, groups, invites, audiences, watching progress and the mail outbox (migration 0002).
export interface GroupsTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  created_at: CreatedAt;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
  org_id: string;
}

export interface InvitesTable {
  id: Generated<string>;
  org_id: string;
  email: string;
  name: string;
  role: Role;
  token_hash: string;
  group_ids: ColumnType<string[], string[] | undefined, string[]>;
  invited_by: string | null;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
}

export type MeetingAudience = 'org' | 'groups';

/** Columns migration 0002 adds to `meetings`; merged into MeetingsTable through declaration merging. */
export interface MeetingsTable {
  agenda: string | null;
  audience: ColumnType<MeetingAudience, MeetingAudience | undefined, MeetingAudience>;
  published_at: Timestamp | null;
  schedule_version: Generated<number>;
  retention_days: number | null;
  media_deleted_at: Timestamp | null;
}

export interface MeetingAudienceGroupsTable {
  meeting_id: string;
  group_id: string;
}

export interface WatchProgressTable {
  talk_id: string;
  user_id: string;
  org_id: string;
  /** int4multirange, read and written as its text form, e.g. "{[0,10),[20,30)}". */
  watched: ColumnType<string, string | undefined, string>;
  watched_seconds: Generated<number>;
  /** The part of `watched` seen again later (migration 0010): where people went back. */
  rewatched: ColumnType<string, string | undefined, string>;
  completion: Generated<number>;
  position_sec: Generated<number>;
  updated_at: Timestamp;
}

export type MailKind = 'invite' | 'meeting_published' | 'meeting_changed' | 'reminder_24h' | 'qa_soon' | 'question_answered';

export interface MailOutboxTable {
  id: Generated<string>;
  org_id: string;
  kind: MailKind;
  to_email: string;
  to_name: string | null;
  payload: ColumnType<Record<string, unknown>, string, string>;
  dedupe_key: string;
  created_at: CreatedAt;
  attempts: Generated<number>;
  locked_until: Timestamp | null;
  sent_at: Timestamp | null;
  failed_at: Timestamp | null;
  last_error: string | null;
}

export interface Database {
  groups: GroupsTable;
  group_members: GroupMembersTable;
  invites: InvitesTable;
  meeting_audience_groups: MeetingAudienceGroupsTable;
  watch_progress: WatchProgressTable;
  mail_outbox: MailOutboxTable;
}
export type Invite = Selectable<InvitesTable>;
export type Group = Selectable<GroupsTable>;
export type OutboxMail = Selectable<MailOutboxTable>;

// 0004_media_pipeline
export type MediaStep = 'ladder' | 'poster' | 'storyboard' | 'captions';
export type StepState = 'pending' | 'running' | 'done' | 'failed';

export interface TalkStepsTable {
  upload_id: string;
  talk_id: string;
  step: MediaStep;
  state: ColumnType<StepState, StepState | undefined, StepState>;
  percent: ColumnType<number, number | undefined, number>;
  error: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** Geometry of a storyboard sprite: thumbnails every `interval` seconds, tiled left to right, top to bottom. */
export interface StoryboardGeometry {
  interval: number;
  columns: number;
  rows: number;
  count: number;
  tileWidth: number;
  tileHeight: number;
}

export interface TalkAssetsTable {
  upload_id: string;
  talk_id: string;
  has_poster: ColumnType<boolean, boolean | undefined, boolean>;
  storyboard: ColumnType<StoryboardGeometry | null, string | null | undefined, string | null>;
}

export interface Database {
  talk_steps: TalkStepsTable;
  talk_assets: TalkAssetsTable;
}

// Captions (migration 0005): cue rows for search and editing, and the recording an automatic track came from.
export type CaptionSource = 'asr' | 'upload' | 'edited';

export interface CaptionTracksTable {
  upload_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CaptionCuesTable {
  track_id: string;
  seq: number;
  talk_id: string;
  start_sec: number;
  end_sec: number;
  text: string;
  /** Generated by Postgres from `text`; never written. */
  search: ColumnType<string, never, never>;
}

export interface Database {
  caption_cues: CaptionCuesTable;
}

// 0007_worker_liveness
export interface WorkerHeartbeatsTable {
  worker_id: string;
  seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface Database {
  worker_heartbeats: WorkerHeartbeatsTable;
}
