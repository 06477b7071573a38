import { AsyncLocalStorage } from 'node:async_hooks';

/** Who caused an event: the verified caller of the request whose work emitted it. */
export interface EventActor {
  userId: string;
  roles: readonly string[];
}

/**
 * One slot per request, filled once its token is verified: every event created while that
 * request's work runs carries its caller, without each command passing the caller along (as the
 * trace context travels). Work started outside a request (consumers, the relay, seeding) has no slot.
 */
const scope = new AsyncLocalStorage<{ actor?: EventActor }>();

/** Runs one request's work with an empty slot of its own. */
export const withActorScope = <T>(work: () => T): T => scope.run({}, work);

/** Names the request's caller (a no-op outside a request's scope). */
export function setCurrentActor(actor: EventActor | undefined): void {
  const slot = scope.getStore();
  if (slot) slot.actor = actor;
}

export const currentActor = (): EventActor | undefined => scope.getStore()?.actor;
