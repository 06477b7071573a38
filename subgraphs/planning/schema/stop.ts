import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { DISPATCH_ROLES } from '../domain/access.ts';
import { FailureReasonSchema, ProofInputSchema } from '../domain/route-input.ts';
import { completeStop, failStop } from '../services/route-commands.ts';
import { OrderRef } from './refs.ts';
import { StopStatusType } from './stop-status.ts';

interface TimeWindow {
  start: Date;
  end: Date;
}

const StopWindowType = builder.objectRef<TimeWindow>('StopWindow').implement({
  description: "The order's delivery window this stop was planned into.",
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime' }),
    end: t.expose('end', { type: 'DateTime' }),
  }),
});

const ProofOfDeliveryInput = builder.inputType('ProofOfDeliveryInput', {
  fields: (t) => ({
    recipientName: t.string({ required: true, description: 'Who took the parcels.' }),
    signatureRef: t.string({ description: 'Reference to the captured signature (stored elsewhere).' }),
    photoRef: t.string({ description: 'Reference to a photo of the delivery (stored elsewhere).' }),
  }),
});

export const StopType = builder.prismaObject('Stop', {
  description: 'One delivery on a route: an order, when it is planned to arrive, and how it went.',
  fields: (t) => ({
    id: t.exposeID('id'),
    sequence: t.exposeInt('sequence', { description: '0-based position on the route.' }),
    order: t.field({ type: OrderRef, description: 'The order delivered here (resolved by orders).', resolve: (s) => ({ id: s.orderId }) }),
    route: t.relation('route'),
    status: t.expose('status', { type: StopStatusType }),
    lat: t.exposeFloat('lat'),
    lon: t.exposeFloat('lon'),
    weightKg: t.float({ resolve: (s) => s.weightKg.toNumber() }),
    plannedArrival: t.expose('plannedArrival', { type: 'DateTime', description: 'When service is planned to start.' }),
    serviceTimeMin: t.exposeInt('serviceTimeMin'),
    window: t.field({
      type: StopWindowType,
      nullable: true,
      resolve: (s) => (s.windowStart && s.windowEnd ? { start: s.windowStart, end: s.windowEnd } : null),
    }),
    recipientName: t.exposeString('recipientName', { nullable: true }),
    signatureRef: t.exposeString('signatureRef', { nullable: true }),
    photoRef: t.exposeString('photoRef', { nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    failedAt: t.expose('failedAt', { type: 'DateTime', nullable: true }),
    failureReason: t.exposeString('failureReason', { nullable: true }),
  }),
});

/** Drivers record their own route's stops; the service checks it is theirs. */
const STOP_ROLES = [...DISPATCH_ROLES, 'DRIVER'] as const;

builder.mutationFields((t) => ({
  completeStop: t.prismaField({
    type: 'Stop',
    description: 'The order was delivered, with proof. Dispatchers or the driver of the route.',
    authScopes: { anyRole: STOP_ROLES },
    args: { stopId: t.arg.id({ required: true }), proof: t.arg({ type: ProofOfDeliveryInput, required: true }) },
    resolve: async (query, _root, { stopId, proof }, ctx) => {
      if (!isUuid(stopId)) throw notFound('Stop', ['stopId']);
      const parsed = parseInput(ProofInputSchema, proof, ['proof']);
      const id = await completeStop(ctx.services.commit, ctx.principal!, stopId, parsed, { now: ctx.now(), traceparent: ctx.traceparent });
      return ctx.db.stop.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  failStop: t.prismaField({
    type: 'Stop',
    description: 'The delivery failed; the order goes back to the pool. Dispatchers or the driver of the route.',
    authScopes: { anyRole: STOP_ROLES },
    args: { stopId: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: async (query, _root, { stopId, reason }, ctx) => {
      if (!isUuid(stopId)) throw notFound('Stop', ['stopId']);
      const parsed = parseInput(FailureReasonSchema, reason, ['reason']);
      const id = await failStop(ctx.services.commit, ctx.principal!, stopId, parsed, { now: ctx.now(), traceparent: ctx.traceparent });
      return ctx.db.stop.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
