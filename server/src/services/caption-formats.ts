// The caption formats and cue rules are shared with the worker, which writes automatic tracks by the same rules.
export { CaptionFileError, parseCaptionFile } from '../../../workers/src/media/captions/parse.ts';
export { findCueProblem, normaliseCueText, MAX_CUE_TEXT_CHARS, MAX_CUES } from '../../../workers/src/media/captions/cue-rules.ts';
export { writeWebVtt } from '../../../workers/src/media/captions/webvtt.ts';
