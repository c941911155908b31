import type { Clock } from '@timeshift/shared/clock';
import { AppError, errors } from '../errors.ts';
import type { CaptionsRepository, CueRow } from '../repositories/captions.ts';
import { CaptionFileError, findCueProblem, normaliseCueText, parseCaptionFile, writeWebVtt } from './caption-formats.ts';
import type { MeetingAccess } from './meeting-access.ts';
import { verifyPlaybackToken } from './playback-token.ts';
import { authorize, type Actor } from './policy.ts';
import { assertCanManage } from './talk-access.ts';

/** A language tag such as "en", "pt-BR" or "zh-Hant": it names the track and ends up in URLs. */
export const LANG_PATTERN = '^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$';
const LANG = new RegExp(LANG_PATTERN);
export const MAX_CAPTION_FILE_BYTES = 2 * 1024 * 1024;

export type CaptionInput = { kind: 'cues'; cues: CueRow[]; label?: string } | { kind: 'file'; content: Buffer; label?: string };

function languageName(lang: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language' }).of(lang) ?? lang;
  } catch {
    return lang;
  }
}

/** Caption files come from every kind of editor; most write UTF-8, older Windows tools Latin-1. */
function decode(content: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return content.toString('latin1');
  }
}

export function captionService(deps: { access: MeetingAccess; captions: CaptionsRepository; clock: Clock; secret: string }) {
  function checkLang(lang: string): void {
    if (!LANG.test(lang)) throw errors.badRequest('INVALID_LANGUAGE', `"${lang.slice(0, 20)}" is not a language code; use one like "en" or "pt-BR".`);
  }

  return {
    /** The transcript of a talk, for reading along and seeking; `q` keeps only the cues that match the words. */
    async transcript(actor: Actor, talkId: string, options: { q?: string; lang?: string } = {}) {
      authorize(actor, 'meeting.view');
      // The same rule as reading the talk: outside the meeting's audience, the talk does not exist.
      const { talk } = await deps.access.visibleTalk(actor, talkId);
      if (options.lang !== undefined) checkLang(options.lang);
      const tracks = await deps.captions.tracksOf(actor.orgId, talk.id);
      const track = options.lang !== undefined ? tracks.find((t) => t.lang === options.lang) : (tracks.find((t) => t.lang === 'en') ?? tracks[0]);
      if (!track) {
        if (options.lang !== undefined) throw errors.notFound(`A ${languageName(options.lang)} transcript of that talk`);
        return { cues: [] };
      }
      const query = options.q?.trim() || undefined;
      const cues = await deps.captions.cues(actor.orgId, track.id, query);
      // Line breaks are for the video; the transcript reads as running text.
      return { lang: track.lang, source: track.source, cues: cues.map((c) => ({ startSec: c.startSec, endSec: c.endSec, text: c.text.replace(/\n/g, ' ') })) };
    },

    /**
     * Replaces a track with cues a speaker edited or a caption file they uploaded. The track is then the
     * speaker's: automatic captions never overwrite it again.
     */
    async replace(actor: Actor, talkId: string, lang: string, input: CaptionInput) {
      const { talk } = await deps.access.visibleTalk(actor, talkId);
      assertCanManage(actor, talk);
      checkLang(lang);
      const durationSec = talk.duration_seconds ?? undefined;
      let cues: CueRow[];
      if (input.kind === 'file') {
        if (input.content.length === 0) throw errors.badRequest('INVALID_CAPTION_FILE', 'The caption file is empty. Choose a WebVTT (.vtt) or SubRip (.srt) file.');
        try {
          cues = parseCaptionFile(decode(input.content), { durationSec });
        } catch (e) {
          if (e instanceof CaptionFileError) throw errors.badRequest('INVALID_CAPTION_FILE', `The caption file has a problem. ${e.message} Fix it and upload the file again.`);
          throw e;
        }
      } else {
        if (input.cues.length === 0) throw errors.badRequest('INVALID_CUES', 'Send at least one cue.');
        const problem = findCueProblem(input.cues, { durationSec });
        if (problem) throw errors.badRequest('INVALID_CUES', problem.message);
        cues = input.cues.map((c) => ({ startSec: c.startSec, endSec: c.endSec, text: normaliseCueText(c.text) }));
      }
      const label = input.label?.trim() || languageName(lang);
      const source = input.kind === 'file' ? 'upload' : 'edited';
      await deps.captions.replaceTrack({ talkId: talk.id, lang, label, source, cues });
      return { lang, label, source, cues };
    },

    /** The WebVTT of a track, for players: access rides on the playback token, as for the playlists. */
    async webVtt(talkId: string, lang: string, token: string): Promise<string> {
      const grant = verifyPlaybackToken(token, talkId, deps.clock.now(), deps.secret);
      if (!grant) throw new AppError('PLAYBACK_EXPIRED', 403, 'This playback link has expired or is not valid. Reload the page to get a fresh one.');
      checkLang(lang);
      const track = (await deps.captions.tracksOf(grant.orgId, talkId)).find((t) => t.lang === lang);
      if (!track) throw errors.notFound('That caption track');
      return writeWebVtt(await deps.captions.cues(grant.orgId, track.id));
    },
  };
}
export type CaptionService = ReturnType<typeof captionService>;
