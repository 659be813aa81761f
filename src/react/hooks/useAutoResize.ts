import { useEffect, useState } from 'react';
import { useKit } from '../internal/kit-context.js';

const DEFAULT_DEBOUNCE_MS = 50;

/**
 * Keeps the iframe as tall as the element the returned ref is attached to, growing and shrinking
 * (all.js' own auto-resize only grows unless the app uses `.ac-content`). Debounced, and skips
 * unchanged heights. Connect: `AP.resize('100%', h)`; Forge: `setMacroViewportHeight(h)`.
 *
 * @example
 * const resizeRef = useAutoResize<HTMLDivElement>();
 * return <div ref={resizeRef}>…</div>;
 */
export function useAutoResize<E extends HTMLElement = HTMLElement>(
  debounceMs = DEFAULT_DEBOUNCE_MS,
): (element: E | null) => void {
  const { ap, bridge } = useKit();
  const [element, setElement] = useState<E | null>(null);
  useEffect(() => {
    if (!element || typeof ResizeObserver === 'undefined') return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastHeight = -1;
    const apply = () => {
      const height = Math.ceil(element.getBoundingClientRect().height);
      if (height === lastHeight) return;
      lastHeight = height;
      if (ap?.resize) ap.resize('100%', `${height}px`);
      else bridge?.setMacroViewportHeight?.(String(height)).catch(() => {});
    };
    const observer = new ResizeObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(apply, debounceMs);
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
    };
  }, [element, ap, bridge, debounceMs]);
  return setElement;
}
