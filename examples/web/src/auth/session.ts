import type { SessionTokensFragment } from '../gql/graphql.ts';

export type Session = SessionTokensFragment;

/** What the store needs from the graph: the rotation call, kept outside so the store stays testable. */
export interface SessionBackend {
  refresh(refreshToken: string): Promise<Session>;
  logout(refreshToken: string): Promise<void>;
}

const KEY = 'voidtracker.session';
/** Refresh when a third of the token's life is left (at least 2 s), so requests never carry a dying token. */
const refreshAt = (s: Session, issuedAt: number) => {
  const expires = Date.parse(s.expiresAt);
  return expires - Math.max(2_000, (expires - issuedAt) / 3);
};

/**
 * The signed-in session: tokens in localStorage, rotated before they expire (timer) or when the
 * graph says UNAUTHENTICATED, without a page reload. One refresh at a time: the graph revokes a
 * whole session when a refresh token is used twice.
 */
export class SessionStore {
  private session: Session | null;
  private issuedAt = Date.now();
  private inflight: Promise<Session | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(s: Session | null) => void>();

  constructor(private readonly backend: SessionBackend) {
    const stored = localStorage.getItem(KEY);
    this.session = stored ? (JSON.parse(stored) as Session) : null;
    this.schedule();
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
    this.inflight ??= this.backend
      .refresh(s.refreshToken)
      .then(
        (next) => {
          this.set(next);
          return next;
        },
        () => {
          this.set(null);
          return null;
        },
      )
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  async signOut(): Promise<void> {
    const s = this.session;
    this.set(null);
    if (s) await this.backend.logout(s.refreshToken).catch(() => undefined);
  }

  private set(session: Session | null): void {
    this.session = session;
    this.issuedAt = Date.now();
    if (session) localStorage.setItem(KEY, JSON.stringify(session));
    else localStorage.removeItem(KEY);
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
