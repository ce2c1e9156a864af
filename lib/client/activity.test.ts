import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { shouldRenew, trackActivity } from './activity';

class FakeDocument extends EventTarget {
  visibilityState: DocumentVisibilityState = 'visible';
  show(state: DocumentVisibilityState) {
    this.visibilityState = state;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

const IDLE_MS = 30 * 60_000;

describe('activity tracking for the idle timeout', () => {
  let target: EventTarget;
  let doc: FakeDocument;

  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    target = new EventTarget();
    doc = new FakeDocument();
  });
  afterEach(() => vi.useRealTimers());

  it('an untouched tab stops counting as active once the idle window has passed', () => {
    const tracker = trackActivity({ target, doc });
    expect(tracker.activeWithin(IDLE_MS)).toBe(true); // opening the page counts
    vi.advanceTimersByTime(IDLE_MS - 1);
    expect(tracker.activeWithin(IDLE_MS)).toBe(true);
    vi.advanceTimersByTime(1);
    expect(tracker.activeWithin(IDLE_MS)).toBe(false);
    expect(shouldRenew(tracker.lastActiveAt(), Date.now(), IDLE_MS)).toBe(false);
  });

  it.each(['pointerdown', 'keydown', 'wheel', 'touchstart'])('%s counts as activity', (type) => {
    const tracker = trackActivity({ target, doc });
    vi.advanceTimersByTime(IDLE_MS + 5_000);
    target.dispatchEvent(new Event(type));
    expect(tracker.activeWithin(IDLE_MS)).toBe(true);
    expect(tracker.lastActiveAt()).toBe(Date.now());
  });

  it('events no person produces (pointermove, scroll, focus by script) do not', () => {
    const tracker = trackActivity({ target, doc });
    vi.advanceTimersByTime(IDLE_MS + 5_000);
    for (const type of ['pointermove', 'mousemove', 'scroll', 'focus']) {
      target.dispatchEvent(new Event(type));
    }
    expect(tracker.activeWithin(IDLE_MS)).toBe(false);
  });

  it('the page becoming visible counts; becoming hidden does not', () => {
    const tracker = trackActivity({ target, doc });
    vi.advanceTimersByTime(IDLE_MS + 5_000);
    doc.show('hidden');
    expect(tracker.activeWithin(IDLE_MS)).toBe(false);
    doc.show('visible');
    expect(tracker.activeWithin(IDLE_MS)).toBe(true);
  });

  it('notifies listeners of activity, at most once a second, and not after stop()', () => {
    const tracker = trackActivity({ target, doc });
    const seen = vi.fn();
    tracker.onActive(seen);
    vi.advanceTimersByTime(2_000);
    for (let i = 0; i < 20; i++) target.dispatchEvent(new Event('keydown'));
    expect(seen).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1_000);
    target.dispatchEvent(new Event('pointerdown'));
    expect(seen).toHaveBeenCalledTimes(2);
    tracker.stop();
    vi.advanceTimersByTime(IDLE_MS + 1);
    target.dispatchEvent(new Event('keydown'));
    expect(seen).toHaveBeenCalledTimes(2);
    expect(tracker.activeWithin(IDLE_MS)).toBe(false);
  });

  it('the renewal rule: active within the window renews, at the window edge it does not', () => {
    expect(shouldRenew(0, IDLE_MS - 1, IDLE_MS)).toBe(true);
    expect(shouldRenew(0, IDLE_MS, IDLE_MS)).toBe(false);
  });
});
