import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

/** The signed-in staff member as the login answer gives it. */
export interface StaffUser {
  readonly id: string;
  readonly username: string;
  readonly role: 'admin' | 'supervisor' | 'operator' | 'handler';
  readonly unitCode: string | null;
}

interface StoredSession {
  readonly token: string;
  readonly user: StaffUser;
  readonly expiresAt: number;
}

/** expired: the token's time ran out; revoked: the server ended the session early; logout: the user left. */
export type EndReason = 'expired' | 'revoked' | 'logout';

// The token's expiry is whole seconds on the server's clock, the tab's own count is from when the
// login answered: near the end, a refusal is taken for expiry rather than for an ended session.
const EXPIRY_SLACK_MS = 60_000;

// sessionStorage: the token lives as long as the tab, never in a shared profile's storage.
const KEY = 'hotline-hub.session';

function restore(): StoredSession | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as StoredSession | null;
    return stored && stored.expiresAt > Date.now() ? stored : null;
  } catch {
    return null;
  }
}

/** The session: token, user, and the one way out (logout or expiry) that clears everything. */
export const useSessionStore = defineStore('session', () => {
  const current = ref<StoredSession | null>(restore());
  /** Why the last session ended, shown on the login page. */
  const endedBecause = ref<EndReason | null>(null);
  const listeners: (() => void)[] = [];

  const token = computed(() => current.value?.token ?? null);
  const user = computed(() => current.value?.user ?? null);

  function signIn(accessToken: string, staff: StaffUser, expiresInSeconds: number): void {
    current.value = { token: accessToken, user: staff, expiresAt: Date.now() + expiresInSeconds * 1000 };
    sessionStorage.setItem(KEY, JSON.stringify(current.value));
    endedBecause.value = null;
  }

  /** Registers what must be wiped when the session ends (stores, sockets). */
  function onEnd(listener: () => void): void {
    listeners.push(listener);
  }

  /**
   * Why the server refuses the token now: past its time it expired; before, the server ended the
   * session (the account was disabled or changed, which bumps its token version and cuts its sockets).
   */
  function endReasonNow(): EndReason {
    return (current.value?.expiresAt ?? 0) - Date.now() > EXPIRY_SLACK_MS ? 'revoked' : 'expired';
  }

  function end(reason: EndReason): void {
    current.value = null;
    sessionStorage.removeItem(KEY);
    endedBecause.value = reason;
    for (const listener of listeners) listener();
  }

  return { token, user, endedBecause, expiresAt: computed(() => current.value?.expiresAt ?? 0), signIn, end, endReasonNow, onEnd };
});

/** Each role's home screen. */
export function homeOf(role: StaffUser['role']): string {
  return role === 'operator' ? '/intake' : '/queue';
}
