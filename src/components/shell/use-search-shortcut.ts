"use client";

import { useEffect } from "react";

const EDITABLE = "input, textarea, select, [contenteditable]:not([contenteditable='false'])";

/**
 * "/" focuses the page's search box: any visible field that declares `aria-keyshortcuts="/"`.
 * Ignored while typing in a field or with a modifier held, so "/" can still be typed.
 */
export function useSearchShortcut() {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "/" || event.defaultPrevented) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.target instanceof Element && event.target.closest(EDITABLE)) return;
      const field = [...document.querySelectorAll<HTMLElement>('[aria-keyshortcuts="/"]')].find(
        (el) => el.getClientRects().length > 0,
      );
      if (!field) return;
      event.preventDefault();
      field.focus();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);
}
