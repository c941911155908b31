import type { MediaStep } from '@timeshift/shared/db/schema';
import type { JobName } from '@timeshift/shared/jobs';

/** The steps between `playable` and `ready`, each its own job, in the order they are queued. */
export const BACKGROUND_STEPS: readonly MediaStep[] = ['poster', 'storyboard', 'captions', 'ladder'];

export const JOB_FOR_STEP: Record<MediaStep, JobName> = {
  poster: 'media_poster',
  storyboard: 'media_storyboard',
  captions: 'captions',
  ladder: 'media_ladder',
};
