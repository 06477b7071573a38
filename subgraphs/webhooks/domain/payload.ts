import type { EventEnvelope } from '../../platform/events/envelope.ts';

/**
 * The body a receiver gets: the event's CloudEvents 1.0 JSON with the public attributes only.
 * Left out: `orgid` (the endpoint already belongs to that organization) and `traceparent` (our
 * internal tracing). Attempt counters and delivery ids travel in headers, not here.
 */
export interface PublicCloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time: string;
  datacontenttype: 'application/json';
  data: unknown;
}

export function publicCloudEvent(envelope: EventEnvelope): PublicCloudEvent {
  return {
    specversion: '1.0',
    id: envelope.id,
    source: envelope.source,
    type: envelope.type,
    ...(envelope.subject ? { subject: envelope.subject } : {}),
    time: envelope.time,
    datacontenttype: 'application/json',
    data: envelope.data,
  };
}

/** The exact bytes sent and signed, fixed once when the delivery is queued. */
export const deliveryBody = (envelope: EventEnvelope): string => JSON.stringify(publicCloudEvent(envelope));
