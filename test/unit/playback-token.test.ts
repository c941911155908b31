import { describe, expect, it } from 'vitest';
import { signPlaybackToken, verifyPlaybackToken } from '../../server/src/services/playback-token.ts';

const secret = 'unit-secret';
const talkId = '11111111-2222-4333-8444-555555555555';
const grant = { talkId, userId: 'u1', orgId: 'o1', expiresAt: new Date('2030-01-01T10:00:00Z') };
const before = new Date('2030-01-01T09:59:59Z');

describe('playback tokens', () => {
  it('carry the grant they were signed with', () => {
    expect(verifyPlaybackToken(signPlaybackToken(grant, secret), talkId, before, secret)).toEqual(grant);
  });

  it('die at their expiry', () => {
    expect(verifyPlaybackToken(signPlaybackToken(grant, secret), talkId, grant.expiresAt, secret)).toBeUndefined();
  });

  it('do not open another talk', () => {
    expect(verifyPlaybackToken(signPlaybackToken(grant, secret), 'aaaaaaaa-2222-4333-8444-555555555555', before, secret)).toBeUndefined();
  });

  it('are refused when signed with another secret or edited', () => {
    const token = signPlaybackToken(grant, secret);
    expect(verifyPlaybackToken(token, talkId, before, 'other')).toBeUndefined();
    const [body, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ t: talkId, u: 'u1', o: 'o1', e: 2_000_000_000 })).toString('base64url');
    expect(verifyPlaybackToken(`${forged}.${sig}`, talkId, before, secret)).toBeUndefined();
    expect(verifyPlaybackToken(`${body}.${sig}.x`, talkId, before, secret)).toBeUndefined();
    expect(verifyPlaybackToken('garbage', talkId, before, secret)).toBeUndefined();
  });
});
