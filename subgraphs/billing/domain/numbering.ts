/**
 * Invoice numbers: sequential and gapless per organization, series and fiscal year, printed by a
 * configurable pattern. The counter itself lives in the database (services/numbering.ts); this is
 * the pure part: which fiscal year a date falls in, and how a number is printed.
 *
 * Pattern tokens: {series}, {fy} (the year the fiscal year starts), {fyEnd} (the year it ends),
 * {seq} or {seq:N} (the sequence, zero-padded to N digits). Everything else is literal and must be
 * letters, digits or / - _ . so numbers stay safe to print and file.
 */
import { z } from 'zod';

export const DEFAULT_NUMBER_PATTERN = '{series}-{fy}-{seq:6}';

export interface FiscalYear {
  /** The calendar year the fiscal year starts in; the counter's key. */
  startYear: number;
  endYear: number;
}

/** Fiscal years start on the 1st of `startMonth` (1-12), UTC. With January, start and end are the same year. */
export function fiscalYearOf(at: Date, startMonth: number): FiscalYear {
  const year = at.getUTCFullYear();
  const startYear = at.getUTCMonth() + 1 >= startMonth ? year : year - 1;
  return { startYear, endYear: startMonth === 1 ? startYear : startYear + 1 };
}

const TOKEN = /\{(series|fy|fyEnd|seq)(?::(\d{1,2}))?\}/g;
const LITERAL = /^[A-Za-z0-9/_.-]*$/;

/** Why a pattern cannot number invoices, or null when it can. */
export function patternProblem(pattern: string): string | null {
  if (pattern.length > 60) return 'must be at most 60 characters';
  const tokens = [...pattern.matchAll(TOKEN)];
  if (!LITERAL.test(pattern.replace(TOKEN, ''))) return 'may hold only the tokens {series}, {fy}, {fyEnd}, {seq} or {seq:N} and letters, digits, / - _ .';
  const names = tokens.map((t) => t[1]);
  for (const t of tokens) if (t[2] !== undefined && t[1] !== 'seq') return `{${t[1]}} takes no width`;
  for (const t of tokens) if (t[1] === 'seq' && t[2] !== undefined && (Number(t[2]) < 1 || Number(t[2]) > 12)) return '{seq:N} needs N from 1 to 12';
  // Counters restart per series and fiscal year: without both, two invoices could share a number.
  if (!names.includes('seq')) return 'must contain {seq} (or {seq:N})';
  if (!names.includes('series')) return 'must contain {series}, so invoices and credit notes never share a number';
  if (!names.includes('fy') && !names.includes('fyEnd')) return 'must contain {fy} or {fyEnd}, since the sequence restarts every fiscal year';
  if (new Set(names).size !== names.length) return 'must use each token at most once';
  return null;
}

export const NumberPatternSchema = z.string().superRefine((p, ctx) => {
  const problem = patternProblem(p);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export function formatNumber(pattern: string, parts: { series: string; fiscalYear: FiscalYear; sequence: number }): string {
  return pattern.replace(TOKEN, (_all, name: string, width?: string) => {
    switch (name) {
      case 'series':
        return parts.series;
      case 'fy':
        return String(parts.fiscalYear.startYear);
      case 'fyEnd':
        return String(parts.fiscalYear.endYear);
      default:
        return String(parts.sequence).padStart(width ? Number(width) : 0, '0');
    }
  });
}
