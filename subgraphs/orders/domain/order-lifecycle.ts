export const ORDER_STATUSES = ['CREATED', 'PLANNED', 'IN_TRANSIT', 'DELIVERED', 'FAILED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The order lifecycle. Planning moves orders between CREATED, PLANNED and IN_TRANSIT (a re-plan
 * can send a planned order back to the pool); a failed delivery can be planned again.
 */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  CREATED: ['PLANNED', 'CANCELLED'],
  PLANNED: ['CREATED', 'IN_TRANSIT', 'CANCELLED'],
  IN_TRANSIT: ['DELIVERED', 'FAILED'],
  FAILED: ['PLANNED', 'CANCELLED'],
  DELIVERED: [],
  CANCELLED: [],
};

export const canTransition = (from: OrderStatus, to: OrderStatus): boolean => TRANSITIONS[from].includes(to);

export const isTerminal = (status: OrderStatus): boolean => TRANSITIONS[status].length === 0;

export interface StatusChange {
  from: OrderStatus | null;
  to: OrderStatus;
  at: Date;
  actorId: string | null;
  reason: string | null;
}

export type TransitionResult = { ok: true; change: StatusChange } | { ok: false; message: string };

/** Decides a transition; the caller records the change only when it is allowed. */
export function transition(
  current: OrderStatus,
  to: OrderStatus,
  by: { at: Date; actorId: string | null; reason?: string | null },
): TransitionResult {
  if (!canTransition(current, to)) {
    const allowed = TRANSITIONS[current];
    return {
      ok: false,
      message: allowed.length
        ? `An order that is ${current} cannot become ${to}; it can become ${allowed.join(' or ')}.`
        : `An order that is ${current} is final and cannot become ${to}.`,
    };
  }
  return { ok: true, change: { from: current, to, at: by.at, actorId: by.actorId, reason: by.reason ?? null } };
}

export const creation = (at: Date, actorId: string): StatusChange => ({ from: null, to: 'CREATED', at, actorId, reason: null });
