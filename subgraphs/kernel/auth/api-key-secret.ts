/**
 * The format of a partner API key's secret: iam issues it, the gateway recognises it before any
 * lookup (gateway/plugins/partner-keys.ts). Here so that the gateway reads no domain's code.
 */
import { randomBytes } from 'node:crypto';

/** Secrets look like `vtk_` + 256 random bits in base64url: recognisable in logs and by secret scanners. */
const SECRET_PREFIX = 'vtk_';
const SECRET_PATTERN = /^vtk_[A-Za-z0-9_-]{43}$/;

/** A new secret; it is shown once and only its hash is kept. */
export const newApiKeySecret = (): string => SECRET_PREFIX + randomBytes(32).toString('base64url');

/** True when the value could be a secret this service issued (checked before any lookup). */
export const isWellFormedSecret = (value: string): boolean => SECRET_PATTERN.test(value);

/** What an admin sees to tell keys apart: `vtk_` and the next 6 characters. */
export const secretPrefixOf = (secret: string): string => secret.slice(0, SECRET_PREFIX.length + 6);
