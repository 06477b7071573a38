import { Kind, type FieldNode, type SelectionNode, type ValueNode } from 'graphql';
import { QuoteCalculated } from '../../subgraphs/billing/events/contracts.ts';
import type { AnyEventContract } from '../../subgraphs/platform/events/contract.ts';
import type { EventEnvelope } from '../../subgraphs/platform/events/envelope.ts';
import { PAGE_SIZE } from '../../subgraphs/kernel/builder.ts';
import { isUuid } from '../../subgraphs/platform/ids.ts';
import { OrderCancelled, OrderStatusChanged } from '../../subgraphs/orders/events/contracts.ts';
import { RouteDriverAssigned, RoutePlanned, RouteStarted, StopCompleted, StopFailed } from '../../subgraphs/planning/events/contracts.ts';

/**
 * One field of the Subscription type: which events concern which subscriptions, and the query a
 * push runs in its place, so every payload resolves through the ordinary federated query path.
 */
export interface LiveField {
  name: string;
  /** Subscriptions with equal keys are concerned by the same events. */
  key(args: Record<string, unknown>): string;
  /** The keys an event concerns; ANY_KEY: every subscription of this field (in the event's tenant). */
  keysOf(envelope: EventEnvelope): readonly string[];
  /** What is wrong with the arguments, if anything (beyond their GraphQL types), and which one. */
  check?(args: Record<string, unknown>): ArgumentProblem | undefined;
  /** The query field run in place of the subscription's field, answering under the same response key. */
  toQueryField(field: FieldNode, responseKey: string): FieldNode;
  /** The payload from the query's value; undefined: nothing to push (not found, or not the caller's). */
  payload(value: unknown, args: Record<string, unknown>): unknown;
}

export const ANY_KEY = '*';

export interface ArgumentProblem {
  message: string;
  field: string;
}

/** Ids are decoded as the subgraphs decode them, so a malformed one is refused as `order(id:)` refuses it. */
function checkIds(args: Record<string, unknown>, ids: Record<string, string>): ArgumentProblem | undefined {
  for (const [argument, what] of Object.entries(ids)) {
    if (!isUuid(String(args[argument]))) return { message: `${argument} is not a valid ${what} id.`, field: argument };
  }
  return undefined;
}

/** The parsed event when it is of one of the contracts (a payload that fails its schema concerns no one). */
function parsed<C extends AnyEventContract>(envelope: EventEnvelope, contracts: readonly C[]) {
  const contract = contracts.find((c) => c.matches(envelope));
  if (!contract) return undefined;
  try {
    return contract.parse(envelope);
  } catch {
    return undefined;
  }
}

// An assignment changes what a board and a route's page show (its driver), though no order's state.
const ROUTE_EVENTS = [RoutePlanned, RouteDriverAssigned, RouteStarted, StopCompleted, StopFailed] as const;
const ORDER_EVENTS = [OrderStatusChanged, OrderCancelled, QuoteCalculated, ...ROUTE_EVENTS] as const;

/** Every event a subscription listens for (the event catalog lists the gateway as their consumer). */
export const LIVE_CONSUMES: readonly AnyEventContract[] = ORDER_EVENTS;

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const arg = (argName: string, value: ValueNode) => ({ kind: Kind.ARGUMENT, name: name(argName), value }) as const;
const field = (fieldName: string, selections?: readonly SelectionNode[], alias?: string): FieldNode => ({
  kind: Kind.FIELD,
  name: name(fieldName),
  ...(alias ? { alias: name(alias) } : {}),
  ...(selections ? { selectionSet: { kind: Kind.SELECTION_SET, selections } } : {}),
});

/** The subscription field's argument value node, renamed for the query field. */
function renamedArgs(node: FieldNode, renames: Record<string, string>) {
  return (node.arguments ?? []).filter((a) => a.name.value in renames).map((a) => arg(renames[a.name.value]!, a.value));
}

/** The same field under another name (and arguments), answering under the subscription's response key. */
const asQueryField = (node: FieldNode, queryField: string, renames: Record<string, string>, responseKey: string): FieldNode => ({
  ...node,
  alias: name(responseKey),
  name: name(queryField),
  arguments: renamedArgs(node, renames),
  directives: [],
});

/** An order changes status, route, ETA, stop or price. */
export const orderUpdated: LiveField = {
  name: 'orderUpdated',
  key: (args) => String(args.id),
  keysOf(envelope) {
    const e = parsed(envelope, ORDER_EVENTS);
    if (!e) return [];
    const d = e.data as Record<string, unknown>;
    if (RoutePlanned.matches(e)) {
      const planned = RoutePlanned.parse(e).data;
      return [...planned.stops.map((s) => s.orderId), ...(planned.removedOrderIds ?? [])];
    }
    if (RouteStarted.matches(e)) return RouteStarted.parse(e).data.orderIds;
    return typeof d.orderId === 'string' ? [d.orderId] : [];
  },
  check: (args) => checkIds(args, { id: 'order' }),
  toQueryField: (node, key) => asQueryField(node, 'order', { id: 'id' }, key),
  payload: (value) => value ?? undefined,
};

/** A route is planned, re-planned, given a driver, started, and its stops completed or failed. */
export const routeProgress: LiveField = {
  name: 'routeProgress',
  key: (args) => String(args.routeId),
  keysOf(envelope) {
    const e = parsed(envelope, ROUTE_EVENTS);
    return e ? [(e.data as { routeId: string }).routeId] : [];
  },
  check: (args) => checkIds(args, { routeId: 'route' }),
  toQueryField: (node, key) => asQueryField(node, 'route', { routeId: 'id' }, key),
  payload: (value) => value ?? undefined,
};

/** Depot ids come back under this alias so the board can keep only its depot's routes. */
const DEPOT_ALIAS = '__liveDepot';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A depot's routes of one day, whenever any of them changes. */
export const dispatchBoard: LiveField = {
  name: 'dispatchBoard',
  key: (args) => `${String(args.depotId)}/${String(args.date)}`,
  // Only route.planned names its day, and none names its depot: every board of the tenant looks.
  keysOf: (envelope) => (parsed(envelope, ROUTE_EVENTS) ? [ANY_KEY] : []),
  check: (args) =>
    checkIds(args, { depotId: 'depot' }) ??
    (DAY.test(String(args.date)) && !Number.isNaN(Date.parse(String(args.date))) ? undefined : { message: 'date must be a day, YYYY-MM-DD.', field: 'date' }),
  toQueryField: (node, key) => ({
    kind: Kind.FIELD,
    alias: name(key),
    name: name('routes'),
    arguments: [...renamedArgs(node, { date: 'date' }), arg('first', { kind: Kind.INT, value: String(PAGE_SIZE.max) })],
    selectionSet: {
      kind: Kind.SELECTION_SET,
      selections: [
        field('edges', [field('node', [field('depot', [field('id')], DEPOT_ALIAS), ...(node.selectionSet?.selections ?? [])])]),
      ],
    },
  }),
  payload(value, args) {
    const edges = (value as { edges?: Array<{ node: Record<string, unknown> }> } | null)?.edges;
    if (!edges) return undefined;
    return edges
      .map((e) => e.node)
      .filter((n) => (n[DEPOT_ALIAS] as { id?: unknown } | undefined)?.id === args.depotId)
      .map(({ [DEPOT_ALIAS]: _, ...rest }) => rest);
  },
};

export const LIVE_FIELDS: Readonly<Record<string, LiveField>> = { orderUpdated, routeProgress, dispatchBoard };
