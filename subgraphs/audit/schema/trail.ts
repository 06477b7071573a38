import type { SubgraphContext } from '../../kernel/builder.ts';
import { builder } from '../builder.ts';
import { AUDIT_READ_ROLES } from '../domain/access.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { AuditServices } from '../services/index.ts';
import { checkPageArgs } from './paging.ts';

type Ctx = SubgraphContext<PrismaClient, AuditServices>;

/**
 * Adds `auditTrail` to another subgraph's entity: that entity's entries within the caller's own
 * organization, newest first (another tenant's id simply has none). Nullable, so a caller who
 * may not read it gets FORBIDDEN there and the rest of the entity still arrives.
 */
export function addAuditTrail(
  ref: Parameters<typeof builder.objectField>[0],
  description: string,
  about: (id: string) => Array<Record<string, unknown>>,
) {
  builder.objectField(ref, 'auditTrail', (t) =>
    t.prismaConnection({
      type: 'AuditEntry',
      cursor: 'id',
      nullable: true,
      description: `${description} AUDITOR and ADMIN only.`,
      authScopes: { anyRole: AUDIT_READ_ROLES },
      args: { eventType: t.arg.string() },
      resolve: (query, parent, args, ctx: Ctx) => {
        checkPageArgs(args);
        const { id } = parent as { id: string };
        return ctx.db.auditEntry.findMany({
          ...query,
          where: { orgId: ctx.principal!.orgId, OR: about(id) as never, ...(args.eventType ? { eventType: args.eventType } : {}) },
          orderBy: { sequence: 'desc' },
        });
      },
    }),
  );
}
