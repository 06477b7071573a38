import { Kind, valueFromASTUntyped } from 'graphql';
import { AppError } from '../../platform/errors.ts';
import { builder } from '../builder.ts';
import { DISPATCH_ROLES } from '../domain/access.ts';
import { checkAdHocProblem } from '../domain/optimization-limits.ts';
import type { ValidationError } from '../domain/optimizer/problem-input.ts';
import type { RouteResult, SolveResult } from '../domain/optimizer/solve.ts';
import { WorkerTaskError } from '../../platform/worker.ts';
import type { UnservedStop } from '../domain/optimizer/unserved.ts';
import { UnservedReasonType } from './plan-day.ts';

const SOLVE_MODULE = new URL('../domain/optimizer/solve.ts', import.meta.url);

const JsonType = builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast) => (ast.kind === Kind.NULL ? null : valueFromASTUntyped(ast)),
});

const OptimizedRouteType = builder.objectRef<RouteResult>('OptimizedRoute').implement({
  fields: (t) => ({
    vehicleId: t.exposeString('vehicleId'),
    stops: t.exposeStringList('stops', { description: 'Stop ids in visiting order.' }),
    distance: t.exposeFloat('distance'),
    load: t.exposeFloat('load'),
    serviceStarts: t.exposeFloatList('serviceStarts', { description: 'Earliest service start at each stop, in the problem’s time unit.' }),
  }),
});

const UnservedStopType = builder.objectRef<UnservedStop>('UnservedStop').implement({
  fields: (t) => ({
    stopId: t.exposeString('stopId'),
    reason: t.field({ type: UnservedReasonType, resolve: (u) => u.reason }),
    message: t.exposeString('message'),
  }),
});

const OptimizationResultType = builder.objectRef<SolveResult>('OptimizationResult').implement({
  description: 'The best solution found within the time budget.',
  fields: (t) => ({
    routes: t.field({ type: [OptimizedRouteType], resolve: (r) => r.routes }),
    totalDistance: t.exposeFloat('totalDistance'),
    vehiclesUsed: t.exposeInt('vehiclesUsed'),
    unserved: t.field({ type: [UnservedStopType], resolve: (r) => r.unserved }),
    iterations: t.int({ resolve: (r) => r.stats.iterations }),
    elapsedMs: t.float({ resolve: (r) => r.stats.elapsedMs }),
  }),
});

builder.queryField('optimizeRoutes', (t) =>
  t.field({
    type: OptimizationResultType,
    description:
      'Ad hoc route optimization of a problem in the documented JSON format (docs/optimizer.md): coordinates or an explicit ' +
      'distance matrix, capacities, time windows, shifts. Saves nothing; deterministic for a seed within the same iteration count.',
    authScopes: { anyRole: DISPATCH_ROLES },
    args: {
      problem: t.arg({ type: JsonType, required: true }),
      timeLimitSeconds: t.arg.float(),
      seed: t.arg.int(),
    },
    resolve: async (_root, { problem, timeLimitSeconds, seed }, ctx) => {
      const { timeLimitMs } = checkAdHocProblem(problem, timeLimitSeconds);
      try {
        // Seconds of CPU: on a thread of the bounded pool, so the subgraph keeps serving meanwhile.
        return await ctx.services.optimizer.run<SolveResult>(SOLVE_MODULE, 'solve', [problem, { timeLimitMs, seed: seed ?? 1 }], {
          timeoutMs: timeLimitMs + 30_000,
        });
      } catch (error) {
        if (!(error instanceof WorkerTaskError) || error.name !== 'OptimizerInputError') throw error;
        const first = (error.details.errors as ValidationError[])[0]!;
        throw new AppError('BAD_USER_INPUT', `problem.${first.field}: ${first.message}`, { field: ['problem', ...first.field.split('.')] });
      }
    },
  }),
);
