import { PAGE_SIZE } from '../../kernel/builder.ts';
import { badInput } from '../../platform/errors.ts';

/** Rejects page sizes outside 0..max before the database sees them (as orders does). */
export function checkPageArgs(args: { first?: number | null; last?: number | null }) {
  for (const key of ['first', 'last'] as const) {
    const n = args[key];
    if (n != null && (n < 0 || n > PAGE_SIZE.max)) throw badInput(`${key} must be between 0 and ${PAGE_SIZE.max}.`, [key]);
  }
}
