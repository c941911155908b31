// Reports what a viewer actually watched: ranges of the talk, and where they stopped, so the server can
// count completion and resume them later. Throttled while playing; flushed on pause and when the page hides.
import type { Progress } from './types';

type Range = [number, number];

const FLUSH_EVERY_MS = 15_000;
/** A jump larger than this between two time updates is a seek, not playback. */
const MAX_STEP_SEC = 3;

export function reportWatching(video: HTMLVideoElement, talkId: string, onSaved?: (p: Progress) => void): () => void {
  let done: Range[] = [];
  let current: Range | null = null;
  let lastSentPosition = -1;
  let sending = false;

  const close = () => {
    if (current && current[1] - current[0] >= 0.5) done.push(current);
    current = null;
  };

  const onTime = () => {
    if (video.paused || video.seeking) return;
    const t = video.currentTime;
    if (current && t >= current[1] && t - current[1] <= MAX_STEP_SEC) current[1] = t;
    else {
      close();
      current = [t, t];
    }
  };

  async function flush(leaving = false) {
    if (sending && !leaving) return;
    const duration = Number.isFinite(video.duration) ? video.duration : Infinity;
    const clamp = (n: number) => Math.round(Math.min(Math.max(0, n), duration) * 10) / 10;
    const open = current && current[1] - current[0] >= 0.5 ? [[current[0], current[1]] as Range] : [];
    const ranges = [...done, ...open].map(([a, b]) => [clamp(a), clamp(b)] as Range).filter(([a, b]) => b > a);
    const positionSec = clamp(video.currentTime);
    if (ranges.length === 0 && Math.abs(positionSec - lastSentPosition) < 1) return;
    // What is being sent is no longer pending; the open range continues from where it was cut.
    done = [];
    if (current) current = [current[1], current[1]];
    sending = true;
    try {
      const res = await fetch(`/api/v1/talks/${encodeURIComponent(talkId)}/progress`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ranges, positionSec }),
        // Lets the last report of a closing page still reach the server.
        keepalive: leaving,
      });
      if (res.ok) {
        lastSentPosition = positionSec;
        onSaved?.((await res.json()) as Progress);
      } else if (res.status >= 500) {
        done.push(...ranges);
      }
    } catch {
      done.push(...ranges);
    } finally {
      sending = false;
    }
  }

  const onPause = () => {
    close();
    void flush();
  };
  const onSeeking = () => close();
  const onHide = () => {
    if (document.visibilityState === 'hidden') void flush(true);
  };
  const onPageHide = () => void flush(true);

  video.addEventListener('timeupdate', onTime);
  video.addEventListener('pause', onPause);
  video.addEventListener('ended', onPause);
  video.addEventListener('seeking', onSeeking);
  document.addEventListener('visibilitychange', onHide);
  window.addEventListener('pagehide', onPageHide);
  const timer = setInterval(() => {
    if (!video.paused) void flush();
  }, FLUSH_EVERY_MS);

  return () => {
    clearInterval(timer);
    video.removeEventListener('timeupdate', onTime);
    video.removeEventListener('pause', onPause);
    video.removeEventListener('ended', onPause);
    video.removeEventListener('seeking', onSeeking);
    document.removeEventListener('visibilitychange', onHide);
    window.removeEventListener('pagehide', onPageHide);
    close();
    void flush(true);
  };
}
