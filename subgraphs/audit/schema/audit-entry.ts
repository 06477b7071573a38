import { isUuid } from '../../platform/ids.ts';
import { builder } from '../builder.ts';
import { AUDIT_READ_ROLES } from '../domain/access.ts';
import { logWhere, parseLogFilter } from '../domain/log-filter.ts';
import { JsonType } from './json.ts';
import { checkPageArgs } from './paging.ts';
import { UserRef } from './refs.ts';

export const AuditEntryType = builder.prismaObject('AuditEntry', {
  description: 'One link of the organization’s append-only audit chain: a domain event, or a mutation someone ran.',
  fields: (t) => ({
    id: t.exposeID('id'),
    sequence: t.float({ description: 'Position in the organization’s chain: 1, 2, 3, … without gaps (a whole number).', resolve: (e) => Number(e.sequence) }),
    eventId: t.exposeString('eventId', { description: 'The CloudEvents id of the event recorded.' }),
    eventType: t.exposeString('eventType', { description: 'e.g. voidtracker.orders.order.created.v1, or voidtracker.orders.mutation.executed.v1 for a mutation.' }),
    source: t.exposeString('source'),
    subject: t.exposeString('subject', { description: 'The event’s aggregate id (a mutation’s: its request id).' }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
    actor: t.field({
      type: UserRef,
      nullable: true,
      description: 'Who ran the mutation (resolved by iam); null for domain events and anonymous calls.',
      resolve: (e) => (e.actorId && isUuid(e.actorId) ? { id: e.actorId } : null),
    }),
    actorId: t.exposeString('actorId', { nullable: true }),
    actorRoles: t.exposeStringList('actorRoles', { description: 'The roles the caller held when it ran the mutation.' }),
    entityType: t.exposeString('entityType', { nullable: true, description: 'What the entry is about, e.g. Order, Route, User.' }),
    entityId: t.exposeString('entityId', { nullable: true }),
    relatedIds: t.exposeStringList('relatedIds', { description: 'Other entities it names (the orders on a planned route, say).' }),
    operation: t.exposeString('operation', { nullable: true, description: 'A mutation’s root field, e.g. cancelOrder.' }),
    outcome: t.exposeString('outcome', { nullable: true, description: 'A mutation’s outcome: OK, or its error codes, comma-separated.' }),
    requestId: t.exposeString('requestId', { nullable: true }),
    traceparent: t.exposeString('traceparent', { nullable: true }),
    data: t.field({ type: JsonType, nullable: true, description: 'The payload as received; a mutation’s arguments with secrets redacted.', resolve: (e) => e.data }),
    prevHash: t.exposeString('prevHash', { description: 'The hash of the entry before (or of the retention anchor, or 64 zeros).' }),
    hash: t.exposeString('hash', { description: 'sha256 over the canonical JSON of this entry’s content and prevHash.' }),
  }),
});

export const AuditDateRangeInput = builder.inputType('AuditDateRange', {
  description: 'A half-open time range [from, to); at most the configured number of days (AUDIT_MAX_RANGE_DAYS).',
  fields: (t) => ({ from: t.field({ type: 'DateTime', required: true }), to: t.field({ type: 'DateTime', required: true }) }),
});

const AuditLogFilterInput = builder.inputType('AuditLogFilter', {
  fields: (t) => ({
    entityType: t.string({ description: 'e.g. Order.' }),
    entityId: t.id({ description: 'Entries about this entity, or naming it.' }),
    actorId: t.id({ description: 'Mutations run by this user.' }),
    eventType: t.string(),
    range: t.field({ type: AuditDateRangeInput, description: 'When it happened.' }),
  }),
});

builder.queryFields((t) => ({
  auditLog: t.prismaConnection(
    {
      type: 'AuditEntry',
      cursor: 'id',
      description: 'The organization’s audit log, newest first. AUDITOR and ADMIN only.',
      authScopes: { anyRole: AUDIT_READ_ROLES },
      args: { filter: t.arg({ type: AuditLogFilterInput }) },
      resolve: (query, _root, args, ctx) => {
        checkPageArgs(args);
        const filter = parseLogFilter(args.filter, ctx.services.settings.maxRangeDays);
        return ctx.db.auditEntry.findMany({ ...query, where: logWhere(ctx.principal!.orgId, filter), orderBy: { sequence: 'desc' } });
      },
    },
    { name: 'AuditEntryConnection' },
    { name: 'AuditEntryEdge' },
  ),
}));
