import { badInput, notFound, unauthenticated } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { CLIENT_NAME_PATTERN, createApiKeySchema } from '../domain/api-key.ts';
import type { CreatedApiKey } from '../services/api-keys.ts';
import { checkPageArgs } from './paging.ts';
import { RoleType } from './user.ts';

/** Only an organization's admins see and manage its partner keys. */
const KEY_ADMIN = { anyRole: ['ADMIN'] } as const;

export const ApiKeyType = builder.prismaObject('ApiKey', {
  description: 'A partner integration’s credential. Its secret is shown once, when created; only its hash is kept.',
  fields: (t) => ({
    id: t.exposeID('id'),
    clientName: t.exposeString('clientName', { description: 'The partner client; its requests may run only the operations of this client’s safelist.' }),
    roles: t.expose('roles', { type: [RoleType] }),
    prefix: t.exposeString('secretPrefix', { description: 'The first characters of the secret, to tell keys apart.' }),
    principalId: t.exposeID('principalId', { description: 'Who the key acts as: the same for every key of this client, so a rotated key keeps the client’s orders.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    createdBy: t.prismaField({
      type: 'User',
      nullable: true,
      resolve: (query, key, _args, ctx) => ctx.db.user.findFirst({ ...query, where: { id: key.createdById, orgId: key.orgId } }),
    }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'When a gateway last exchanged it for a token.' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    active: t.boolean({ description: 'False once revoked.', resolve: (key) => key.revokedAt === null }),
  }),
});

const CreateApiKeyPayload = builder.objectRef<CreatedApiKey>('CreateApiKeyPayload').implement({
  fields: (t) => ({
    secret: t.exposeString('secret', {
      description: 'The key itself, for the `x-api-key` header. Shown only now: it cannot be read again.',
    }),
    apiKey: t.field({ type: ApiKeyType, resolve: (p) => p.apiKey }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    clientName: t.string({ required: true, description: 'The partner client, e.g. `shop`: 2-40 of a-z, 0-9 and -.' }),
    roles: t.field({ type: [RoleType], required: true, description: 'Any of PARTNER, DISPATCHER, FINANCE, AUDITOR.' }),
  }),
});

/** The rows `apiKeys` lists and counts. */
function apiKeysWhere(
  args: { clientName?: string | null; includeRevoked?: boolean | null; first?: number | null; last?: number | null },
  ctx: { principal: { orgId: string } | null; authError?: string | undefined },
) {
  if (!ctx.principal) throw unauthenticated(ctx.authError);
  checkPageArgs(args);
  if (args.clientName != null && !CLIENT_NAME_PATTERN.test(args.clientName)) throw badInput('clientName is not a client name.', ['clientName']);
  return {
    orgId: ctx.principal.orgId,
    ...(args.clientName != null ? { clientName: args.clientName } : {}),
    ...(args.includeRevoked ? {} : { revokedAt: null }),
  };
}

builder.queryFields((t) => ({
  apiKeys: t.prismaConnection(
    {
      type: 'ApiKey',
      cursor: 'id',
      description: 'The organization’s API keys, newest first; revoked ones only when asked for.',
      authScopes: KEY_ADMIN,
      args: { clientName: t.arg.string(), includeRevoked: t.arg.boolean({ defaultValue: false }) },
      resolve: (query, _root, args, ctx) => ctx.db.apiKey.findMany({ ...query, where: apiKeysWhere(args, ctx), orderBy: { id: 'desc' } }),
      // A tenant's keys: a handful per partner, counted on the orgId index.
      totalCount: (_connection, args, ctx) => ctx.db.apiKey.count({ where: apiKeysWhere(args, ctx) }),
    },
    { name: 'ApiKeyConnection' },
    { name: 'ApiKeyEdge' },
  ),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeyPayload,
    description: 'Issues a partner API key. The secret is in this answer and nowhere else.',
    authScopes: KEY_ADMIN,
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.services.apiKeys.create(ctx.principal!, parseInput(createApiKeySchema, input), ctx.traceparent),
  }),
  revokeApiKey: t.prismaField({
    type: 'ApiKey',
    description: 'Revokes a key at once in iam; gateways stop accepting it within their key cache time (30 s by default).',
    authScopes: KEY_ADMIN,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      if (!isUuid(id)) throw notFound('API key', ['id']);
      const key = await ctx.services.apiKeys.revoke(ctx.principal!, id, ctx.traceparent);
      return ctx.db.apiKey.findUniqueOrThrow({ ...query, where: { id: key.id } });
    },
  }),
}));
