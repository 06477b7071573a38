/**
 * Invites a platform operator (who may create organizations) on this installation's iam database:
 *   npm run iam:invite-operator -- <email> "<name>"
 * Prints the invitation token once; the operator accepts it with acceptInvitation and a password
 * of their own, so no password passes through a command line. Uses the same environment as
 * `npm start` / `npm run stack` (POSTGRES_URL, DATA_DIR, INVITATION_TTL_SECONDS).
 */
import { z } from 'zod';
import { iam } from '../subgraphs/iam/server.ts';
import { emailSchema, personNameSchema } from '../subgraphs/iam/domain/invitation.ts';
import { inviteOperator } from '../subgraphs/iam/services/operators.ts';
import { databaseFor, loadConfig, parseSlice } from '../subgraphs/platform/config.ts';
import { iamConfig } from '../subgraphs/iam/config.ts';
import { openDatabase } from '../subgraphs/platform/db/database.ts';
import { applyMigrations, readMigrations } from '../subgraphs/platform/db/migrate.ts';
import { commandLine } from './lib/command-line.ts';

const { positionals } = commandLine({
  name: 'iam:invite-operator',
  summary: 'Invites a platform operator; prints the invitation token once.',
  positionals: ['<email>', '"<name>"'],
  options: {},
});
const args = z.object({ email: emailSchema, name: personNameSchema }).safeParse({ email: positionals[0] ?? '', name: positionals[1] ?? '' });
if (!args.success) {
  console.error(`iam:invite-operator: ${args.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  console.error('usage: npm run iam:invite-operator -- <email> "<name>"');
  process.exit(2);
}

const config = loadConfig();
const database = await openDatabase(databaseFor(config, 'iam'));
const db = iam.createClient(database.adapter);
try {
  await applyMigrations(database, await readMigrations(iam.migrationsDir));
  const { token, invitation } = await inviteOperator(db, args.data, { now: new Date(), ttlSeconds: parseSlice(iamConfig, config.environment).invitationTtlSeconds });
  console.log(`Invited ${invitation.email} as PLATFORM_OPERATOR until ${invitation.expiresAt.toISOString()}.`);
  console.log(`Token (shown once): ${token}`);
  console.log('Accept with: mutation { acceptInvitation(token: "<token>", password: "<your password>") { accessToken } }');
} catch (error) {
  console.error(`iam:invite-operator: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
  await database.close();
}
