import { uuidv7 } from '../../platform/ids.ts';
import { unauthenticated } from '../../platform/errors.ts';
import { normalizeEmail } from '../../kernel/auth/email.ts';
import { verifyAgainstDecoy, verifyPassword } from '../domain/password.ts';
import { hashRefreshToken, judgeRefreshToken, newRefreshTokenValue } from '../domain/refresh-token.ts';
import type { PrismaClient, User } from '../generated/prisma/client.ts';
import { userDeactivated } from './actors.ts';
import type { SigningKeys } from './signing-keys.ts';

export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  user: User;
}

export interface Sessions {
  login(email: string, password: string): Promise<AuthPayload>;
  refresh(refreshToken: string): Promise<AuthPayload>;
  logout(refreshToken: string): Promise<boolean>;
  /** A new session for a user who just proved who they are another way (an accepted invitation). */
  start(user: User): Promise<AuthPayload>;
}

/** One message for every failed login, so it never tells whether the email exists. */
const INVALID_LOGIN = 'Invalid email or password.';
const INVALID_REFRESH = 'The refresh token is invalid or expired.';

export function createSessions(
  db: PrismaClient,
  keys: SigningKeys,
  options: { accessTtlSeconds: number; refreshTtlSeconds: number; now: () => Date },
): Sessions {
  const issue = async (user: User, familyId: string, client: Pick<PrismaClient, 'refreshToken'>): Promise<AuthPayload> => {
    const now = options.now();
    const refreshToken = newRefreshTokenValue();
    await client.refreshToken.create({
      data: {
        id: uuidv7(),
        userId: user.id,
        familyId,
        tokenHash: hashRefreshToken(refreshToken),
        expiresAt: new Date(now.getTime() + options.refreshTtlSeconds * 1000),
      },
    });
    const expiresAt = new Date(now.getTime() + options.accessTtlSeconds * 1000);
    const accessToken = await keys.sign({ userId: user.id, orgId: user.orgId, roles: user.roles }, expiresAt);
    return { accessToken, refreshToken, expiresAt, user };
  };

  return {
    async login(email, password) {
      const user = await db.user.findUnique({ where: { email: normalizeEmail(email) } });
      const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDecoy(password);
      if (!user || !ok) throw unauthenticated(INVALID_LOGIN);
      // Said only after the password matched, so it tells nothing to someone guessing emails.
      if (user.deactivatedAt) throw userDeactivated();
      return issue(user, uuidv7(), db);
    },

    async refresh(presented) {
      const stored = await db.refreshToken.findUnique({ where: { tokenHash: hashRefreshToken(presented) }, include: { user: true } });
      if (!stored) throw unauthenticated(INVALID_REFRESH);
      const now = options.now();
      const verdict = judgeRefreshToken(stored, now);
      if (verdict === 'reused') {
        await db.refreshToken.updateMany({ where: { familyId: stored.familyId, revokedAt: null }, data: { revokedAt: now } });
      }
      if (verdict !== 'valid') throw unauthenticated(INVALID_REFRESH);
      // Deactivation revokes the tokens; this covers a session started in a race with it.
      if (stored.user.deactivatedAt) throw userDeactivated();
      return db.$transaction(async (tx) => {
        // Only one of two racing refreshes with the same token may win.
        const claimed = await tx.refreshToken.updateMany({
          where: { id: stored.id, replacedAt: null, revokedAt: null },
          data: { replacedAt: now },
        });
        if (claimed.count !== 1) throw unauthenticated(INVALID_REFRESH);
        return issue(stored.user, stored.familyId, tx);
      });
    },

    start: (user) => issue(user, uuidv7(), db),

    async logout(presented) {
      const stored = await db.refreshToken.findUnique({ where: { tokenHash: hashRefreshToken(presented) } });
      if (!stored || stored.revokedAt) return false;
      await db.refreshToken.updateMany({ where: { familyId: stored.familyId, revokedAt: null }, data: { revokedAt: options.now() } });
      return true;
    },
  };
}
