import { inputError, type ProblemInput } from '../../subgraphs/planning/domain/optimizer/problem-input.ts';
import { parseSolomon } from './solomon-parser.ts';
import { parseTsplib } from './tsplib-parser.ts';

export type ProblemFormat = 'json' | 'vrp' | 'solomon';

export const PROBLEM_FORMATS: readonly ProblemFormat[] = ['json', 'vrp', 'solomon'];

/** Format from a file name's extension, or null when it says nothing. */
export function formatFromFileName(name: string): ProblemFormat | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.vrp')) return 'vrp';
  if (lower.endsWith('.txt')) return 'solomon';
  return null;
}

/** Text of a problem file in the given format -> native problem (unvalidated for JSON). */
export function parseProblem(text: string, format: ProblemFormat): unknown {
  switch (format) {
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        throw inputError('$', `malformed JSON: ${(e as Error).message}`);
      }
    case 'vrp':
      return parseTsplib(text) satisfies ProblemInput;
    case 'solomon':
      return parseSolomon(text) satisfies ProblemInput;
  }
}
