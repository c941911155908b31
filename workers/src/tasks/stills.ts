import { join } from 'node:path';
import { keys } from '@timeshift/shared/storage/keys';
import { runFfmpeg } from '../media/ffmpeg.ts';
import { planStoryboard, posterArgs, storyboardArgs } from '../media/still-args.ts';
import { runMediaStep, type MediaDeps, type StepJob } from './media-step.ts';

export function posterTask(deps: MediaDeps, job: StepJob) {
  return runMediaStep(deps, job, 'poster', async ({ sourcePath, workDir, source }) => {
    const out = join(workDir, 'poster.jpg');
    const args = posterArgs(source.durationSeconds, Boolean(source.video));
    await runFfmpeg({ input: sourcePath, inputOptions: args.inputOptions, outputOptions: args.outputOptions, output: out });
    await deps.storage.putFile(keys.poster(job.talkId, job.uploadId), out, 'image/jpeg');
    await deps.steps.saveAssets(job.talkId, job.uploadId, { hasPoster: true });
  });
}

export function storyboardTask(deps: MediaDeps, job: StepJob) {
  return runMediaStep(deps, job, 'storyboard', async ({ sourcePath, workDir, source, progress }) => {
    const geometry = planStoryboard(source.durationSeconds, source.width, source.height);
    const out = join(workDir, 'storyboard.jpg');
    await runFfmpeg({ input: sourcePath, outputOptions: storyboardArgs(geometry, source.video ? undefined : source.durationSeconds), output: out, onProgress: (s) => progress(s / source.durationSeconds) });
    await deps.storage.putFile(keys.storyboard(job.talkId, job.uploadId), out, 'image/jpeg');
    await deps.steps.saveAssets(job.talkId, job.uploadId, { storyboard: geometry });
  });
}
