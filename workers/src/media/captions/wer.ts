// Word error rate: how far a transcript is from a reference, counted in word edits.

/** Lower case, apostrophes kept inside words, every other mark a separator. */
export function normaliseWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/<\/?s>/g, ' ')
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
}

export interface WordErrors {
  substitutions: number;
  deletions: number;
  insertions: number;
  referenceWords: number;
  /** (S + D + I) / N; 0 is perfect, and it can exceed 1. */
  wer: number;
}

/** Levenshtein alignment over words, counting each kind of edit. */
export function wordErrors(reference: string, hypothesis: string): WordErrors {
  const ref = normaliseWords(reference);
  const hyp = normaliseWords(hypothesis);
  type Cell = { cost: number; s: number; d: number; i: number };
  let row: Cell[] = Array.from({ length: hyp.length + 1 }, (_, j) => ({ cost: j, s: 0, d: 0, i: j }));
  for (let r = 1; r <= ref.length; r++) {
    const next: Cell[] = [{ cost: r, s: 0, d: r, i: 0 }];
    for (let j = 1; j <= hyp.length; j++) {
      const same = ref[r - 1] === hyp[j - 1];
      const diag = row[j - 1]!;
      const up = row[j]!;
      const left = next[j - 1]!;
      const options: Cell[] = [
        { cost: diag.cost + (same ? 0 : 1), s: diag.s + (same ? 0 : 1), d: diag.d, i: diag.i },
        { cost: up.cost + 1, s: up.s, d: up.d + 1, i: up.i },
        { cost: left.cost + 1, s: left.s, d: left.d, i: left.i + 1 },
      ];
      next.push(options.reduce((a, b) => (b.cost < a.cost ? b : a)));
    }
    row = next;
  }
  const end = row[hyp.length]!;
  return { substitutions: end.s, deletions: end.d, insertions: end.i, referenceWords: ref.length, wer: ref.length === 0 ? (hyp.length === 0 ? 0 : 1) : end.cost / ref.length };
}

/** Reads a Sphinx ".transcription" file: "<s> words </s> (fileid)" per line. */
export function parseSphinxTranscription(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(.*)\(([^()]+)\)\s*$/.exec(line.trim());
    if (m) out.set(m[2]!.trim(), m[1]!.replace(/<\/?s>/g, ' ').replace(/\s+/g, ' ').trim());
  }
  return out;
}
