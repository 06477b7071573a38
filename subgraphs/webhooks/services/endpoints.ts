import { isIP } from 'node:net';
import type { Principal } from '../../kernel/auth/principal.ts';
import { badInput, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { endpointFilter, scopeFor } from '../domain/access.ts';
import { checkEventTypes } from '../domain/event-types.ts';
import { generateSecret } from '../domain/signing.ts';
import { checkEndpointUrl, isPrivateAddress } from '../domain/url-policy.ts';
import type { Resolver } from './sender.ts';
import type { PrismaClient, WebhookEndpoint } from '../generated/prisma/client.ts';

export const MAX_DESCRIPTION = 500;

export interface Registration {
  url: string;
  eventTypes: readonly string[];
  description?: string | null;
}

/** An endpoint with its secret, which is shown only in the answer that made it. */
export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

/** Checks a registration at the edge; each failure names its argument (url, eventTypes.<i>, description). */
export function validateRegistration(input: Registration, principal: Principal, blockPrivateNetworks: boolean) {
  const url = checkEndpointUrl(input.url.trim(), { blockPrivateNetworks });
  if (!url.ok) throw badInput(`url ${url.reason}.`, ['url']);
  const types = checkEventTypes(input.eventTypes, scopeFor(principal));
  if (!types.ok) throw badInput(`eventTypes: ${types.reason}.`, types.index === undefined ? ['eventTypes'] : ['eventTypes', types.index]);
  const description = (input.description ?? '').trim();
  if (description.length > MAX_DESCRIPTION) throw badInput(`description must be at most ${MAX_DESCRIPTION} characters.`, ['description']);
  return { url: url.url.toString(), eventTypes: types.types, description };
}

/**
 * With private networks blocked, a name must resolve, and to public addresses only, when it is
 * registered: the client hears about a mistake at once. Each attempt checks again at connect time
 * (sender.ts), since the answer can change.
 */
export async function refusePrivateHost(url: string, resolve: Resolver): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) return;
  const addresses = await new Promise<string[] | undefined>((done) => resolve(host, (error, found) => done(error ? undefined : found.map((a) => a.address))));
  if (!addresses?.length) throw badInput(`url: ${host} does not resolve.`, ['url']);
  const blocked = addresses.find(isPrivateAddress);
  if (blocked) throw badInput(`url must not point at a loopback, private or link-local address (${host} resolves to ${blocked}).`, ['url']);
}

export async function createEndpoint(db: PrismaClient, principal: Principal, input: ReturnType<typeof validateRegistration>, now: Date): Promise<EndpointWithSecret> {
  const { key, secret } = generateSecret();
  const endpoint = await db.webhookEndpoint.create({
    data: {
      id: uuidv7(now.getTime()),
      orgId: principal.orgId,
      ownerId: principal.userId,
      scope: scopeFor(principal),
      url: input.url,
      description: input.description,
      eventTypes: input.eventTypes,
      secret: key,
      createdAt: now,
      updatedAt: now,
    },
  });
  return { endpoint, secret };
}

/** The caller's endpoint, or NOT_FOUND exactly as for an unknown id (another tenant's, another partner's). */
export async function findEndpoint(db: PrismaClient, principal: Principal, id: string, field = 'id'): Promise<WebhookEndpoint> {
  const endpoint = await db.webhookEndpoint.findFirst({ where: { id, ...endpointFilter(principal) } });
  if (!endpoint) throw notFound('Webhook endpoint', [field]);
  return endpoint;
}

/** Enabling also clears `failing`: the admin says the receiver is back, and deliveries resume. */
export async function setEnabled(db: PrismaClient, principal: Principal, id: string, enabled: boolean, now: Date): Promise<WebhookEndpoint> {
  await findEndpoint(db, principal, id);
  return db.webhookEndpoint.update({ where: { id }, data: { enabled, updatedAt: now, ...(enabled ? { failingSince: null } : {}) } });
}

/** A new secret at once: attempts from now on (retries of queued deliveries included) are signed with it only. */
export async function rotateSecret(db: PrismaClient, principal: Principal, id: string, now: Date): Promise<EndpointWithSecret> {
  await findEndpoint(db, principal, id);
  const { key, secret } = generateSecret();
  const endpoint = await db.webhookEndpoint.update({ where: { id }, data: { secret: key, updatedAt: now } });
  return { endpoint, secret };
}

