import { writeOutbox } from '../../platform/events/outbox.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { DEFAULT_ORGANIZATION_SETTINGS } from '../domain/organization-settings.ts';
import { OrganizationCreated } from '../events/contracts.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { createInvitation, type CreatedInvitation, type NewMember } from './invitations.ts';

/** The organization platform operators belong to; it is made on first use. */
export const PLATFORM_ORGANIZATION = { slug: 'platform', name: 'VoidTracker Platform' } as const;

/**
 * Invites a platform operator from the command line, where no operator exists yet to do it:
 * the first one of an installation. The operator accepts with acceptInvitation like anyone.
 */
export async function inviteOperator(db: PrismaClient, person: Omit<NewMember, 'roles'>, options: { now: Date; ttlSeconds: number }): Promise<CreatedInvitation> {
  const { now } = options;
  return db.$transaction(async (tx) => {
    let org = await tx.organization.findUnique({ where: { slug: PLATFORM_ORGANIZATION.slug } });
    if (!org) {
      org = await tx.organization.create({ data: { id: uuidv7(now.getTime()), ...PLATFORM_ORGANIZATION, ...DEFAULT_ORGANIZATION_SETTINGS, createdAt: now, updatedAt: now } });
      const event = OrganizationCreated.create(
        { organizationId: org.id, name: org.name, slug: org.slug, locale: org.locale, currency: org.currency, timeZone: org.timeZone },
        { subject: org.id, orgId: org.id, time: now },
      );
      await writeOutbox(prismaSql(tx), OrganizationCreated.topic, [event]);
    }
    return createInvitation(tx, { orgId: org.id, invitedById: null, person: { ...person, roles: ['PLATFORM_OPERATOR'] }, now, ttlSeconds: options.ttlSeconds, emailField: ['email'] });
  });
}
