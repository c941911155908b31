import { describe, expect, it } from 'vitest';
import { acceptsUpload, assertTransition, canTransition, isPlayable, TALK_STATES } from '@timeshift/shared/talk-state';

describe('talk state machine', () => {
  it('follows the happy path draft → uploading → processing → playable → ready', () => {
    expect(canTransition('draft', 'uploading')).toBe(true);
    expect(canTransition('uploading', 'processing')).toBe(true);
    expect(canTransition('processing', 'playable')).toBe(true);
    expect(canTransition('playable', 'ready')).toBe(true);
  });

  it('never jumps from draft straight to playable, or from processing back to draft', () => {
    expect(() => assertTransition('draft', 'playable')).toThrow(/draft to playable/);
    expect(canTransition('processing', 'draft')).toBe(false);
    expect(canTransition('ready', 'processing')).toBe(false);
  });

  it('lets a failed upload be tried again', () => {
    expect(canTransition('failed', 'uploading')).toBe(true);
    expect(acceptsUpload('failed')).toBe(true);
  });

  it('refuses a second upload while one is received or processed', () => {
    expect(acceptsUpload('uploading')).toBe(false);
    expect(acceptsUpload('processing')).toBe(false);
  });

  it('calls only playable and ready states playable', () => {
    expect(TALK_STATES.filter(isPlayable)).toEqual(['playable', 'ready']);
  });
});
