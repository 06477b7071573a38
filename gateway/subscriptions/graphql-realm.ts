import { createRequire } from 'node:module';

/**
 * graphql as @apollo/gateway loads it (CommonJS). Its API schema belongs to that copy, and
 * graphql-js refuses a schema from "another realm", so what reads the schema uses this one.
 */
export const graphqlOfGateway = createRequire(import.meta.url)('graphql') as typeof import('graphql');
