import type { Principal } from '../../kernel/auth/principal.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { writeOutbox } from '../../platform/events/outbox.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import type { UnitOfWork } from '../../platform/events/unit-of-work.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { applySettingsChange, type CreateOrganization, type settingsChangeSchema } from '../domain/organization-settings.ts';
import { OrganizationCreated, OrganizationUpdated } from '../events/contracts.ts';
import type { Organization, PrismaClient } from '../generated/prisma/client.ts';
import { requireAuthority, type Tx } from './actors.ts';
import { isUniqueViolation, type CreatedInvitation, type Invitations } from './invitations.ts';
import type { z } from 'zod';

export interface CreatedOrganization extends CreatedInvitation {
  organization: Organization;
}

export interface Organizations {
  /** A platform operator's: the tenant and its first ADMIN's invitation, announced together. */
  create(operator: Principal, input: CreateOrganization, traceparent?: string): Promise<CreatedOrganization>;
  /** An ADMIN's, on their own organization; announces `organization.updated` when something changed. */
  updateSettings(admin: Principal, change: z.output<typeof settingsChangeSchema>, traceparent?: string): Promise<Organization>;
}

export function createOrganizations(db: PrismaClient, invitations: Invitations, options: { now: () => Date; commit: UnitOfWork<Tx> }): Organizations {
  return {
    async create(operator, input, traceparent) {
      const now = options.now();
      const orgId = uuidv7(now.getTime());
      const slugTaken = () => conflict('An organization with this slug already exists.', ['input', 'slug']);
      const created = await options.commit(async (tx) => {
        await requireAuthority(tx, operator, ['PLATFORM_OPERATOR']);
        if (await tx.organization.findUnique({ where: { slug: input.slug }, select: { id: true } })) throw slugTaken();
        const organization = await tx.organization.create({
          data: { id: orgId, name: input.name, slug: input.slug, locale: input.locale, currency: input.currency, timeZone: input.timeZone, createdAt: now, updatedAt: now },
        });
        const invited = await invitations.inviteIn(tx, orgId, operator.userId, { ...input.admin, roles: ['ADMIN'] }, now, ['input', 'admin', 'email']);
        const event = OrganizationCreated.create(
          { organizationId: orgId, name: input.name, slug: input.slug, locale: input.locale, currency: input.currency, timeZone: input.timeZone },
          { subject: orgId, orgId, time: now, ...(traceparent ? { traceparent } : {}) },
        );
        await writeOutbox(prismaSql(tx), OrganizationCreated.topic, [event]);
        return { organization, ...invited };
      }).catch((error: unknown) => {
        // Two operators racing for one slug: the unique index decides, the loser hears why.
        throw isUniqueViolation(error) ? slugTaken() : error;
      });
      return created;
    },

    async updateSettings(admin, change, traceparent) {
      const now = options.now();
      const result = await options.commit(async (tx) => {
        await requireAuthority(tx, admin, ['ADMIN']);
        const current = await tx.organization.findUnique({ where: { id: admin.orgId } });
        if (!current) throw notFound('Organization');
        const { next, changed } = applySettingsChange(current, change);
        if (!changed) return { organization: current, announced: false };
        const organization = await tx.organization.update({ where: { id: admin.orgId }, data: { ...next, updatedAt: now } });
        const event = OrganizationUpdated.create(
          { organizationId: admin.orgId, ...next, updatedBy: admin.userId },
          { subject: admin.orgId, orgId: admin.orgId, time: now, ...(traceparent ? { traceparent } : {}) },
        );
        await writeOutbox(prismaSql(tx), OrganizationUpdated.topic, [event]);
        return { organization, announced: true };
      });
      return result.organization;
    },
  };
}
