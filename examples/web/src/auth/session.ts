import type { SessionTokensFragment } from '../gql/graphql.ts';

export type Session = SessionTokensFragment;

/** What the store needs from the graph: the rotation call, kept outside so the store stays testable. */
export interface SessionBackend {
  refresh(refreshToken: string): Promise<Session>;
  logout(refreshToken: string): Promise<void>;
}

const KEY = 'voidtracker.session';
/** The Web Lock every tab of the origin takes to rotate: one rotation at a time across tabs. */
const REFRESH_LOCK = 'voidtracker.refresh';

const stored = (): Session | null => {
  const text = localStorage.getItem(KEY);
  return text ? (JSON.parse(text) as Session) : null;
};

/**
 * Runs `work` holding the origin-wide refresh lock (Web Locks). Without the API (an insecure
 * context, an old browser) it runs unlocked: tabs then rely on the storage event alone.
 */
const underRefreshLock = <T>(work: () => Promise<T>): Promise<T> =>
  typeof navigator !== 'undefined' && navigator.locks ? (navigator.locks.request(REFRESH_LOCK, work) as Promise<T>) : work();
/** Refresh when a third of the token's life is left (at least 2 s), so requests never carry a dying token. */
const refreshAt = (s: Session, issuedAt: number) => {
  const expires = Date.parse(s.expiresAt);
  return expires - Math.max(2_000, (expires - issuedAt) / 3);
};

/**
 * The signed-in session: tokens in localStorage, rotated before they expire (timer) or when the
 * graph says UNAUTHENTICATED, without a page reload. One refresh at a time, across the tabs too:
 * the graph revokes a whole session when a refresh token is used twice. So a tab rotates only
 * under an origin-wide Web Lock, and first re-reads storage: if another tab rotated meanwhile it
 * takes those tokens instead. Every tab also follows the others' rotations and sign-outs through
 * the storage event, so its own timer moves to the new tokens.
 */
export class SessionStore {
  private session: Session | null;
  private issuedAt = Date.now();
  private inflight: Promise<Session | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(s: Session | null) => void>();

  constructor(private readonly backend: SessionBackend) {
    this.session = stored();
    this.schedule();
    // Fired in the other tabs of the origin, never in the one that wrote.
    addEventListener('storage', (e) => {
      if (e.key === KEY || e.key === null) this.set(stored(), false);
    });
  }

  get current(): Session | null {
    return this.session;
  }

  subscribe(listener: (s: Session | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  signedIn(session: Session): void {
    this.set(session);
  }

  /** A token good for a while yet, refreshing first when it is close to expiry. */
  async accessToken(): Promise<string | null> {
    const s = this.session;
    if (!s) return null;
    if (Date.now() < refreshAt(s, this.issuedAt)) return s.accessToken;
    return (await this.refresh())?.accessToken ?? null;
  }

  /** Rotates the tokens; concurrent callers share one call. A refused refresh signs out. */
  refresh(): Promise<Session | null> {
    const s = this.session;
    if (!s) return Promise.resolve(null);
    this.inflight ??= underRefreshLock(async () => {
      // Another tab may have rotated (or signed out) while this one waited for the lock.
      const latest = stored();
      if (latest?.refreshToken !== s.refreshToken) {
        this.set(latest, false);
        return latest;
      }
      try {
        const next = await this.backend.refresh(s.refreshToken);
        this.set(next);
        return next;
      } catch {
        this.set(null);
        return null;
      }
    }).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  async signOut(): Promise<void> {
    const s = this.session;
    this.set(null);
    if (s) await this.backend.logout(s.refreshToken).catch(() => undefined);
  }

  /** `persist: false` for tokens read from storage (another tab's), which are there already. */
  private set(session: Session | null, persist = true): void {
    if (session?.accessToken === this.session?.accessToken && !persist) return;
    this.session = session;
    this.issuedAt = Date.now();
    if (persist && session) localStorage.setItem(KEY, JSON.stringify(session));
    else if (persist) localStorage.removeItem(KEY);
    this.schedule();
    for (const l of this.listeners) l(session);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const s = this.session;
    if (!s) return;
    this.timer = setTimeout(() => void this.refresh(), Math.max(0, refreshAt(s, this.issuedAt) - Date.now()));
  }
}
