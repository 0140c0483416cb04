"use client";

import { useCallback, useSyncExternalStore } from "react";

const CHANGE_EVENT = "netia:onboarding-dismissed";
const keyOf = (accountId: string) => `netia:onboarding-dismissed:${accountId}`;

function subscribe(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(CHANGE_EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(CHANGE_EVENT, onChange);
  };
}

function read(accountId: string): boolean {
  try {
    return localStorage.getItem(keyOf(accountId)) === "1";
  } catch {
    return false;
  }
}

/**
 * Whether this browser hid the account's getting-started checklist. Kept in
 * localStorage: hiding it is a matter of taste, not of the account's state.
 */
export function useChecklistDismissed(accountId: string): [boolean, () => void] {
  const dismissed = useSyncExternalStore(
    subscribe,
    () => read(accountId),
    // On the server, and while hydrating: hidden, so it never flashes.
    () => true,
  );
  const dismiss = useCallback(() => {
    try {
      localStorage.setItem(keyOf(accountId), "1");
    } catch {
      // Storage blocked: hidden until the page is left.
    }
    window.dispatchEvent(new Event(CHANGE_EVENT));
  }, [accountId]);
  return [dismissed, dismiss];
}
