import { z } from 'zod';
import { configSlice } from '../platform/config.ts';

/** Iam's own settings (the kernel parses them at start: SubgraphDefinition.config); the JWT_* every process checks stay in the platform. */
export const iamConfig = configSlice(
  z.object({
    JWT_PRIVATE_KEY: z
      .string()
      .optional()
      .describe("PKCS#8 PEM of the ES256 signing key: iam's alone (required there in production); the other processes verify through `JWKS_URL`. Unset outside production: iam generates one and keeps it in its database."),
    JWT_REFRESH_TTL_SECONDS: z.coerce.number().int().positive().default(30 * 24 * 3600).describe('Lifetime of a refresh token (30 days).'),
    API_KEY_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300).describe('Lifetime of the access token iam mints for a partner API key (the gateway caches it for less).'),
    INVITATION_TTL_SECONDS: z.coerce.number().int().min(60).max(90 * 24 * 3600).default(7 * 24 * 3600).describe('How long an invitation to join an organization can be accepted (7 days).'),
  }),
  (e) => ({
    /** The signing key; only iam signs, the other processes verify with its published keys. */
    privateKeyPem: e.JWT_PRIVATE_KEY,
    refreshTtlSeconds: e.JWT_REFRESH_TTL_SECONDS,
    /** Lifetime of a token minted for a partner API key. */
    apiKeyTtlSeconds: e.API_KEY_TOKEN_TTL_SECONDS,
    /** How long an invitation can be accepted. */
    invitationTtlSeconds: e.INVITATION_TTL_SECONDS,
  }),
);

export type IamSettings = ReturnType<typeof iamConfig.settings>;
