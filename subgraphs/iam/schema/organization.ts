import { forbidden } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { createOrganizationSchema, settingsChangeSchema } from '../domain/organization-settings.ts';
import type { CreatedOrganization } from '../services/organizations.ts';
import { InvitationType } from './invitation.ts';

export const OrganizationType = builder.prismaObject('Organization', {
  description: 'A tenant: a customer company, a partner, or the carrier itself.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    locale: t.exposeString('locale', { description: 'BCP 47 tag, e.g. de-DE or bn-BD: how money and dates are presented where the API formats them.' }),
    currency: t.exposeString('currency', { description: 'ISO 4217: the organization’s home currency.' }),
    timeZone: t.exposeString('timeZone', { description: 'IANA time zone, e.g. Europe/Berlin.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When its settings last changed.' }),
  }),
});

builder.asEntity(OrganizationType, {
  key: builder.selection<{ id: string }>('id'),
  // Only the caller's own organization resolves; any other id answers null, as if unknown.
  resolveReference: ({ id }, ctx) =>
    ctx.principal && ctx.principal.orgId === id && isUuid(id) ? ctx.db.organization.findUnique({ where: { id } }) : null,
});

const OrganizationSettingsInput = builder.inputType('OrganizationSettingsInput', {
  description: 'Only the fields given change. Invoicing mode and fiscal year are billing’s: updateBillingSettings.',
  fields: (t) => ({
    name: t.string(),
    locale: t.string({ description: 'BCP 47, e.g. de-DE, bn-BD, or bn-BD-u-nu-latn for Latin digits.' }),
    currency: t.string({ description: 'ISO 4217, e.g. EUR, BDT.' }),
    timeZone: t.string({ description: 'IANA, e.g. Europe/Berlin, Asia/Dhaka.' }),
  }),
});

const NewOrganizationAdminInput = builder.inputType('NewOrganizationAdminInput', {
  fields: (t) => ({ email: t.string({ required: true }), name: t.string({ required: true }) }),
});

const CreateOrganizationInput = builder.inputType('CreateOrganizationInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    slug: t.string({ required: true, description: '2-40 of a-z, 0-9 and -, starting with a letter; unique.' }),
    locale: t.string({ description: 'en-US when not given.' }),
    currency: t.string({ description: 'EUR when not given.' }),
    timeZone: t.string({ description: 'UTC when not given.' }),
    admin: t.field({ type: NewOrganizationAdminInput, required: true, description: 'Who is invited as its first ADMIN.' }),
  }),
});

const CreateOrganizationPayload = builder.objectRef<CreatedOrganization>('CreateOrganizationPayload').implement({
  fields: (t) => ({
    organization: t.field({ type: OrganizationType, resolve: (p) => p.organization }),
    invitation: t.field({ type: InvitationType, description: 'The first ADMIN’s invitation.', resolve: (p) => p.invitation }),
    invitationToken: t.exposeString('token', { description: 'Shown only now: hand it to the first ADMIN, who accepts it with acceptInvitation.' }),
  }),
});

builder.mutationFields((t) => ({
  updateOrganizationSettings: t.prismaField({
    type: 'Organization',
    description: "Changes the caller's organization's name, locale, currency or time zone; the other domains hear of it as organization.updated.",
    authScopes: { anyRole: ['ADMIN'] },
    args: { input: t.arg({ type: OrganizationSettingsInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const organization = await ctx.services.organizations.updateSettings(ctx.principal!, parseInput(settingsChangeSchema, input), ctx.traceparent);
      return ctx.db.organization.findUniqueOrThrow({ ...query, where: { id: organization.id } });
    },
  }),
  createOrganization: t.field({
    type: CreateOrganizationPayload,
    description: 'A platform operator’s: a new tenant and an invitation for its first ADMIN. Operators are not members of the tenants they create.',
    authScopes: { anyRole: ['PLATFORM_OPERATOR'] },
    args: { input: t.arg({ type: CreateOrganizationInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      if (!ctx.principal) throw forbidden();
      return ctx.services.organizations.create(ctx.principal, parseInput(createOrganizationSchema, input), ctx.traceparent);
    },
  }),
}));
