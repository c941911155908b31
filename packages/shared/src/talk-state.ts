// The one state machine a talk moves through (DESIGN.md, convention 5).
export const TALK_STATES = ['draft', 'uploading', 'processing', 'playable', 'ready', 'failed', 'archived'] as const;
export type TalkState = (typeof TALK_STATES)[number];

const TRANSITIONS: Record<TalkState, readonly TalkState[]> = {
  // A speaker may replace a recording from any settled state, so every settled state can start an upload.
  draft: ['uploading', 'archived'],
  uploading: ['processing', 'failed', 'draft', 'playable', 'ready'],
  processing: ['playable', 'failed'],
  playable: ['ready', 'uploading', 'failed', 'archived'],
  ready: ['uploading', 'archived'],
  failed: ['uploading', 'archived'],
  // The meeting's retention ran out and its media was deleted: the end of the line.
  archived: [],
};

export function canTransition(from: TalkState, to: TalkState): boolean {
  return TRANSITIONS[from].includes(to);
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: TalkState,
    readonly to: TalkState,
  ) {
    super(`A talk cannot go from ${from} to ${to}`);
  }
}

export function assertTransition(from: TalkState, to: TalkState): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

/** States in which at least one rendition can be played. */
export function isPlayable(state: TalkState): boolean {
  return state === 'playable' || state === 'ready';
}

/** States in which no upload or job is working on the talk, so a new upload may start. */
export function acceptsUpload(state: TalkState): boolean {
  return state === 'draft' || state === 'failed' || state === 'playable' || state === 'ready';
}
