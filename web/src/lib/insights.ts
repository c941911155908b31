/** GET /talks/:id/insights: who watched a talk, how much, and each 10-second part's share of viewers. */
export interface TalkInsights {
  talkId: string;
  durationSeconds?: number;
  viewers: number;
  averageCompletion: number;
  bucketSeconds: number;
  retention: { startSec: number; viewers: number; share: number; rewatchers: number }[];
}
