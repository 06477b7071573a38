import { readFile } from 'node:fs/promises';
import YAML from 'yaml';

/** Compose's variable substitution (${X}, ${X:-default}, ${X:?error}); a missing required one throws, as compose stops. */
export function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_m, name: string, op: string | undefined, arg: string) => {
    const value = env[name];
    if (value) return value;
    if (op === '-') return arg;
    if (op === '?') throw new Error(`${name}: ${arg}`);
    return '';
  });
}

/** What an operator's .env gives compose. */
export const DOT_ENV = { POSTGRES_PASSWORD: 'pg-secret-from-env', REDIS_PASSWORD: 'redis-secret-from-env' };

/** As compose does it: on the parsed file's string values, after YAML. */
const substitute = (value: unknown, env: Record<string, string>): unknown =>
  typeof value === 'string' ? interpolate(value, env)
  : Array.isArray(value) ? value.map((v) => substitute(v, env))
  : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, env)]))
  : value;

export const composeText = await readFile('docker-compose.yml', 'utf8');

/** docker-compose.yml as compose would run it with this .env. */
export const composeWith = <T>(env: Record<string, string>) => substitute(YAML.parse(composeText, { merge: true }), env) as T;
