import { renderHook } from '@testing-library/react';
import { useIdleLock } from './useIdleLock';

describe('the inactivity lock', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires after the period without activity, and activity postpones it', () => {
    const onIdle = vi.fn();
    renderHook(() => useIdleLock(2, onIdle));
    vi.advanceTimersByTime(90_000);
    window.dispatchEvent(new KeyboardEvent('keydown'));
    vi.advanceTimersByTime(90_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(35_000);
    expect(onIdle).toHaveBeenCalled();
  });

  it('does nothing without a period', () => {
    const onIdle = vi.fn();
    renderHook(() => useIdleLock(null, onIdle));
    vi.advanceTimersByTime(24 * 3_600_000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});
