import { hash, verify, type Options } from '@node-rs/argon2';

/**
 * Argon2id with OWASP's recommended minimum (19 MiB memory, 2 iterations, 1 lane): memory-hard,
 * so a stolen hash costs an attacker far more than it costs us at login.
 */
export const PASSWORD_HASH_PARAMS: Options = {
  algorithm: 2, // Argon2id (the library's const enum cannot be imported under verbatimModuleSyntax)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export const MIN_PASSWORD_LENGTH = 8;

export const hashPassword = (password: string): Promise<string> => hash(password, PASSWORD_HASH_PARAMS);

export async function verifyPassword(stored: string, candidate: string): Promise<boolean> {
  try {
    return await verify(stored, candidate);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | undefined;
/**
 * Spends the same time as a real check when the email is unknown, so response time does not
 * tell an attacker which emails have accounts.
 */
export async function verifyAgainstDecoy(candidate: string): Promise<false> {
  decoy ??= hashPassword('decoy-password-never-matches');
  await verifyPassword(await decoy, candidate);
  return false;
}
