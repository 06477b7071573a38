import { TOKEN_REVOKED_MESSAGE } from '../../platform/errors.ts';
import type { Principal } from './principal.ts';
import type { Role } from './roles.ts';
import type { TokenVerifier } from './verifier.ts';

/** Why a signed, unexpired token is no longer trusted. */
export type DenyReason = 'USER_DEACTIVATED' | 'ROLES_CHANGED';

export interface DenyList {
  /** The user was deactivated at `atMs` (iam's clock): every token issued until then is refused. */
  deactivated(userId: string, atMs: number): void;
  /** The user was reactivated at `atMs`: tokens issued from then on stand (a login in the deactivation's second included). */
  reactivated(userId: string, atMs: number): void;
  /** The user's roles became `roles` at `atMs`: a token issued until then with other roles is refused. */
  rolesChanged(userId: string, roles: readonly Role[], atMs: number): void;
  /** Why this token (its principal, and its `iat` in seconds) is refused; undefined when it stands. */
  refuses(principal: Principal, issuedAtSec: number): DenyReason | undefined;
  /** Called with the user's id after each entry, so open streams of that user can be re-checked. */
  onDeny(listener: (userId: string) => void): () => void;
  /** Users with a live entry (for tests and metrics). */
  size(): number;
}

interface Entry {
  deactivatedAtSec?: number;
  reactivatedAtSec?: number;
  roles?: { atSec: number; roles: readonly Role[] };
  /** When no token this entry refuses can still be unexpired (local clock, ms). */
  expiresAtMs: number;
}

const sameRoles = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((r) => b.includes(r));

/**
 * Tokens are verified by signature, so a deactivation or a role change would otherwise wait out
 * the token's lifetime. An entry needs to live only as long as a token issued before its event
 * can: `accessTtlSeconds` past the event (plus a second for `iat`'s rounding and clock skew),
 * so the list holds only the users changed in the last TTL and stays small.
 *
 * Times compare at `iat`'s whole seconds, both from iam's clock. A token issued in the very second
 * of the event is refused for a deactivation (no new token can be minted while deactivated) unless
 * the user was reactivated in or after that second and the token is no older than that; for a role
 * change, only when its roles differ from the new ones (a refresh in that second already carries
 * them).
 */
export function createDenyList(options: { accessTtlSeconds: number; now?: () => number }): DenyList {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const listeners = new Set<(userId: string) => void>();
  const lifetimeMs = (options.accessTtlSeconds + SKEW_SECONDS) * 1000;

  const prune = () => {
    const at = now();
    for (const [userId, entry] of entries) if (entry.expiresAtMs <= at) entries.delete(userId);
  };
  const record = (userId: string, atMs: number, change: (entry: Entry) => void) => {
    prune();
    const expiresAtMs = atMs + lifetimeMs;
    // An event older than a token's lifetime (a replay from further back) refuses nothing alive.
    if (expiresAtMs <= now()) return;
    const entry = entries.get(userId) ?? { expiresAtMs };
    change(entry);
    entry.expiresAtMs = Math.max(entry.expiresAtMs, expiresAtMs);
    entries.set(userId, entry);
    for (const listener of listeners) listener(userId);
  };
  const seconds = (ms: number) => Math.floor(ms / 1000);

  return {
    deactivated: (userId, atMs) =>
      record(userId, atMs, (entry) => {
        entry.deactivatedAtSec = Math.max(entry.deactivatedAtSec ?? 0, seconds(atMs));
      }),
    reactivated: (userId, atMs) => {
      // Only a deactivation still on the list needs softening; nothing to refuse otherwise.
      if (entries.get(userId)?.deactivatedAtSec === undefined) return;
      record(userId, atMs, (entry) => {
        entry.reactivatedAtSec = Math.max(entry.reactivatedAtSec ?? 0, seconds(atMs));
      });
    },
    rolesChanged: (userId, roles, atMs) =>
      record(userId, atMs, (entry) => {
        // Replays and redeliveries may come out of order with other entries: the latest change wins.
        if (!entry.roles || entry.roles.atSec <= seconds(atMs)) entry.roles = { atSec: seconds(atMs), roles: [...roles] };
      }),
    refuses(principal, issuedAtSec) {
      const entry = entries.get(principal.userId);
      if (!entry) return undefined;
      if (entry.expiresAtMs <= now()) {
        entries.delete(principal.userId);
        return undefined;
      }
      const deactivated = entry.deactivatedAtSec;
      const reactivated = entry.reactivatedAtSec;
      // Minted after a later reactivation: a new session, not one the deactivation ended.
      const freshSession = reactivated !== undefined && deactivated !== undefined && reactivated >= deactivated && issuedAtSec >= reactivated;
      if (deactivated !== undefined && issuedAtSec <= deactivated && !freshSession) return 'USER_DEACTIVATED';
      if (entry.roles && issuedAtSec <= entry.roles.atSec && !sameRoles(principal.roles, entry.roles.roles)) return 'ROLES_CHANGED';
      return undefined;
    },
    onDeny(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    size() {
      prune();
      return entries.size;
    },
  };
}

const SKEW_SECONDS = 1;

/** A verifier that also refuses what the deny-list refuses; the signature check (and its cache) is untouched. */
export function denyingVerifier(verify: TokenVerifier, denyList: DenyList): TokenVerifier {
  return async (token) => {
    const result = await verify(token);
    if ('principal' in result && denyList.refuses(result.principal, result.issuedAtSec)) return { error: TOKEN_REVOKED_MESSAGE };
    return result;
  };
}
