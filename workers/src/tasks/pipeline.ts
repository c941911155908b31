import type { MediaStep } from '@timeshift/shared/db/schema';
import type { JobName } from '@timeshift/shared/jobs';

type QueuedStep = Exclude<MediaStep, 'captions'>;

/** The steps between `playable` and `ready`, each its own job, in the order they are queued. */
export const BACKGROUND_STEPS: readonly QueuedStep[] = ['poster', 'storyboard', 'ladder'];

export const JOB_FOR_STEP: Record<QueuedStep, JobName> = {
  ladder: 'media_ladder',
  poster: 'media_poster',
  storyboard: 'media_storyboard',
};
