// Calls `onIdle` after `minutes` without keyboard, pointer or scroll activity.
import { useEffect, useRef } from 'react';

const EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'scroll'] as const;

export function useIdleLock(minutes: number | null, onIdle: () => void) {
  const callback = useRef(onIdle);
  callback.current = onIdle;
  useEffect(() => {
    if (!minutes) return;
    const limit = minutes * 60_000;
    let last = Date.now();
    const touch = () => {
      last = Date.now();
    };
    for (const e of EVENTS) window.addEventListener(e, touch, { passive: true, capture: true });
    const timer = setInterval(() => {
      if (Date.now() - last >= limit) callback.current();
    }, Math.min(limit, 5_000));
    return () => {
      clearInterval(timer);
      for (const e of EVENTS) window.removeEventListener(e, touch, { capture: true });
    };
  }, [minutes]);
}
