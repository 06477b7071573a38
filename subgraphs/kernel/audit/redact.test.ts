import { describe, expect, it } from 'vitest';
import { REDACTED, redact } from './redact.ts';

describe('redacting a mutation’s arguments', () => {
  it('given secret-named keys at any depth, then their values never appear', () => {
    const args = {
      email: 'a@b.test',
      password: 'hunter2',
      input: { refreshToken: 'rt', apiKey: 'k', clientSecret: 's', nested: [{ newPassword: 'p', note: 'keep' }] },
      TOKEN: 'x',
      passphrase: 'y',
    };
    const out = redact(args);
    expect(out).toEqual({
      email: 'a@b.test',
      password: REDACTED,
      input: { refreshToken: REDACTED, apiKey: REDACTED, clientSecret: REDACTED, nested: [{ newPassword: REDACTED, note: 'keep' }] },
      TOKEN: REDACTED,
      passphrase: REDACTED,
    });
    expect(JSON.stringify(out)).not.toMatch(/hunter2|"rt"|"k"|"s"|"p"/);
  });

  it('given an over-long string, then it is cut and says how much was left out', () => {
    const out = redact({ note: 'x'.repeat(2_500) }) as { note: string };
    expect(out.note.length).toBeLessThan(2_100);
    expect(out.note.endsWith('…[500 more]')).toBe(true);
  });
});
