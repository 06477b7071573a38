import { existsSync } from 'node:fs';
import { DOMAINS, type Domain } from '../../subgraphs/platform/config.ts';

/** Domains that exist in this checkout so far (each has a Prisma schema). */
export const builtDomains = (): Domain[] => DOMAINS.filter((d) => existsSync(`prisma/${d}/schema.prisma`));

export const prismaSchemaPath = (d: Domain) => `prisma/${d}/schema.prisma`;
export const migrationsDir = (d: Domain) => `prisma/${d}/migrations`;
