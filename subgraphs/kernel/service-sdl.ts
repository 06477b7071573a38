import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Hides federation's `_service { sdl }` (SUBGRAPH_SERVICE_SDL off, the production default): the
 * gateway composes from the committed files, so nothing legitimate asks a running subgraph for its
 * whole schema, directives and internal fields included. Answered exactly as an unknown field is.
 */
export const hideServiceSdl: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value !== '_service' || context.getParentType()?.name !== context.getSchema().getQueryType()?.name) return;
    context.reportError(new GraphQLError('Cannot query field "_service" on type "Query".', { nodes: [node] }));
  },
});
