// Pure HLS playlist text handling: building the master playlist and rewriting media playlists.

export interface Variant {
  bandwidth: number;
  width: number;
  height: number;
  codecs: string;
  uri: string;
}

export function buildMasterPlaylist(variants: Variant[]): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const v of [...variants].sort((a, b) => a.bandwidth - b.bandwidth)) {
    lines.push(`#EXT-X-STREAM-INF:BANDWIDTH=${v.bandwidth},RESOLUTION=${v.width}x${v.height},CODECS="${v.codecs}"`, v.uri);
  }
  return lines.join('\n') + '\n';
}

const URI_ATTR = /URI="([^"]*)"/g;

/** Every URI a media playlist refers to: segment lines, and URI attributes of tags such as EXT-X-MAP. */
export function playlistUris(text: string): string[] {
  const uris = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('#')) {
      for (const m of line.matchAll(URI_ATTR)) if (m[1]) uris.add(m[1]);
    } else {
      uris.add(line);
    }
  }
  return [...uris];
}

/** Replaces every URI with its mapped value; a URI without one is an error, never passed through. */
export function rewritePlaylist(text: string, map: ReadonlyMap<string, string>): string {
  const lookup = (uri: string) => {
    const to = map.get(uri);
    if (to === undefined) throw new Error(`no rewrite for playlist URI "${uri}"`);
    return to;
  };
  return text
    .split(/\r?\n/)
    .map((raw) => {
      const line = raw.trim();
      if (!line) return raw;
      if (line.startsWith('#')) return line.replace(URI_ATTR, (_, uri: string) => `URI="${lookup(uri)}"`);
      return lookup(line);
    })
    .join('\n');
}
