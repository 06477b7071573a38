import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../subgraphs/platform/http/body.ts';
import { sendJson } from '../../subgraphs/platform/http/server.ts';
import { credentialsOf, partnerOf } from '../credentials.ts';
import { createManifestStore, discoverManifests, type ManifestStore } from './partner-manifest-store.ts';
import { operationId } from './partner-manifest.ts';
import { definePlugin, type GatewayPlugin } from './types.ts';

/** Apollo Router's safelisting codes and statuses, so partner tooling built for it works unchanged. */
export const SAFELIST_CODES = {
  notInList: 'PERSISTED_QUERY_NOT_IN_LIST',
  idRequired: 'PERSISTED_QUERY_ID_REQUIRED',
  idAndBody: 'CANNOT_SEND_PQ_ID_AND_BODY',
} as const;

export interface PartnerSafelistOptions {
  store: ManifestStore;
  /** Larger bodies are refused with 413, as the GraphQL endpoint itself would. */
  maxBodyBytes: number;
  /** A partner ran an operation of its safelist. */
  onHit?(client: string): void;
  /** A partner request was refused with one of SAFELIST_CODES. */
  onRefused?(code: string, client: string): void;
  /**
   * Trusted documents for everyone (GATEWAY_TRUSTED_DOCUMENTS=safelist): the client whose
   * manifest answers callers without a partner key (the first-party web app's). Unset: they pass
   * untouched and keep APQ.
   */
  firstParty?: string;
}

type Refusal = { code: string; status: number; message: string };
type GraphQLParams = Record<string, unknown>;

const refusal = {
  idAndBody: { code: SAFELIST_CODES.idAndBody, status: 400, message: 'Send the persisted query id or the query text, not both.' },
  idRequired: {
    code: SAFELIST_CODES.idRequired,
    status: 400,
    message: 'This client may run persisted queries only: send extensions.persistedQuery.sha256Hash.',
  },
  notInList: (client: string) => ({ code: SAFELIST_CODES.notInList, status: 404, message: `The persisted query is not in the safelist of client ${client}.` }),
} as const;

/**
 * One request's parameters, answered from the client's safelist: the stored body in place of
 * the id, or why not. The id leaves the extensions, so automatic persisted queries neither look
 * it up nor register it.
 */
export function resolveFromSafelist(params: GraphQLParams, lookup: (id: string) => string | undefined, client: string): GraphQLParams | Refusal {
  const extensions = params.extensions && typeof params.extensions === 'object' ? (params.extensions as Record<string, unknown>) : {};
  const pq = extensions.persistedQuery as { sha256Hash?: unknown } | undefined;
  const id = typeof pq?.sha256Hash === 'string' && pq.sha256Hash ? pq.sha256Hash : undefined;
  const hasText = typeof params.query === 'string' && params.query.trim().length > 0;
  if (id && hasText) return refusal.idAndBody;
  if (!id) return refusal.idRequired;
  const body = lookup(id);
  if (body === undefined) return refusal.notInList(client);
  const { persistedQuery: _answered, ...rest } = extensions;
  return { ...params, query: body, ...(Object.keys(rest).length ? { extensions: rest } : { extensions: undefined }) };
}

const isRefusal = (value: unknown): value is Refusal => !!value && typeof value === 'object' && 'code' in value && 'status' in value;

/** Feeds a rewritten body to whatever reads the request next; the original stream was consumed here. */
function replaceBody(req: IncomingMessage, body: string) {
  const chunk = Buffer.from(body, 'utf8');
  req.headers['content-length'] = String(chunk.length);
  Object.defineProperty(req, Symbol.asyncIterator, {
    configurable: true,
    value: async function* () {
      yield chunk;
    },
  });
}

/**
 * Partners run only the operations of their client's manifest, by id
 * (`extensions.persistedQuery.sha256Hash`). A partner is whoever acts for an API key: one
 * usePartnerKeys exchanged, or a bearer token minted for one. The id is swapped for the stored body before Apollo sees the
 * request, so free text, an unknown id or both at once are refused before parsing, let alone
 * planning or any subgraph. Everyone else (first-party apps) passes untouched and keeps APQ.
 */
export function usePartnerSafelist(options: PartnerSafelistOptions): GatewayPlugin {
  const { store } = options;
  const refuse = (res: ServerResponse, client: string, r: Refusal) => {
    options.onRefused?.(r.code, client);
    sendJson(res, r.status, { errors: [{ message: r.message, extensions: { code: r.code } }] });
  };
  return {
    name: 'partner-safelist',
    http: (next) => async (req, res) => {
      const partner = partnerOf(credentialsOf(req));
      const client = partner?.clientName ?? options.firstParty;
      if (!client) return next(req, res);
      const lookup = (id: string) => store.lookup(client, id)?.body;

      if (req.method === 'GET') {
        const url = new URL(req.url ?? '/', 'http://gateway');
        // A page load (the landing page), not an operation: nothing to look up.
        if (!partner && !url.searchParams.has('query') && !url.searchParams.has('extensions')) return next(req, res);
        let extensions: unknown;
        try {
          extensions = url.searchParams.has('extensions') ? JSON.parse(url.searchParams.get('extensions')!) : undefined;
        } catch {
          return next(req, res); // Apollo answers a malformed parameter itself
        }
        const resolved = resolveFromSafelist({ query: url.searchParams.get('query') ?? undefined, extensions }, lookup, client);
        if (isRefusal(resolved)) return refuse(res, client, resolved);
        url.searchParams.set('query', resolved.query as string);
        if (resolved.extensions) url.searchParams.set('extensions', JSON.stringify(resolved.extensions));
        else url.searchParams.delete('extensions');
        req.url = `${url.pathname}${url.search}`;
        options.onHit?.(client);
        return next(req, res);
      }
      if (req.method !== 'POST') return next(req, res);

      const raw = await readBody(req, options.maxBodyBytes);
      if (raw === null) return sendJson(res, 413, { errors: [{ message: 'Request body too large.', extensions: { code: 'BAD_REQUEST' } }] });
      let parsed: unknown;
      try {
        parsed = String(req.headers['content-type'] ?? '').includes('application/json') && raw.length ? JSON.parse(raw) : undefined;
      } catch {
        parsed = undefined;
      }
      // Not a JSON operation: nothing to run, and Apollo says why; it still reads the same bytes.
      if (!parsed || typeof parsed !== 'object') {
        replaceBody(req, raw);
        return next(req, res);
      }
      const batch = Array.isArray(parsed);
      const resolved: GraphQLParams[] = [];
      for (const params of batch ? (parsed as unknown[]) : [parsed]) {
        const one = resolveFromSafelist(params && typeof params === 'object' ? (params as GraphQLParams) : {}, lookup, client);
        if (isRefusal(one)) return refuse(res, client, one);
        resolved.push(one);
      }
      replaceBody(req, JSON.stringify(batch ? resolved : resolved[0]));
      for (let i = 0; i < resolved.length; i++) options.onHit?.(client);
      return next(req, res);
    },
    apollo: {
      // The gateway answers only once every manifest was read once.
      async serverWillStart() {
        await store.ready;
      },
    },
  };
}

/** The manifest client of first-party apps in trusted-documents mode; not a name a partner key can carry (it has a space). */
export const FIRST_PARTY_CLIENT = 'first party';

/**
 * After the rate limit (a partner's body is read only within its budget); it answers a partner's
 * id from the client's safelist before Apollo, so the APQ cache never sees it. Trusted documents
 * (docs/web.md): everyone else runs the web app's manifest, by id, and nothing else; subscriptions,
 * which travel as text, are safelisted when that exact text is in the manifest.
 */
export const partnerSafelistPlugin = definePlugin({
  name: 'partner-safelist',
  description: 'HTTP: a partner runs only its manifest\'s operations, by id, read within its rate budget and before the APQ cache; every caller with `GATEWAY_TRUSTED_DOCUMENTS=safelist`. Always on.',
  codes: [...Object.values(SAFELIST_CODES), 'BAD_REQUEST'],
  stream: false,
  create: ({ config, logger, metrics, handoff }) => {
    const g = config.gateway;
    const trustedOnly = g.trustedDocuments.mode === 'safelist';
    const manifests = createManifestStore({
      sources: { ...(g.partners.manifests ?? discoverManifests('persisted-queries')), ...(trustedOnly ? { [FIRST_PARTY_CLIENT]: g.trustedDocuments.appManifest } : {}) },
      pollSeconds: g.partners.pollSeconds,
      logger: logger.child({ plugin: 'partner-safelist' }),
    });
    const safelist = usePartnerSafelist({
      store: manifests,
      maxBodyBytes: g.maxBodyBytes,
      onHit: () => metrics?.persistedQuery('hit'),
      onRefused: (code) => metrics?.error(code),
      ...(trustedOnly ? { firstParty: FIRST_PARTY_CLIENT } : {}),
    });
    if (trustedOnly) handoff.trustedDocument = (query) => manifests.lookup(FIRST_PARTY_CLIENT, operationId(query)) !== undefined;
    return { ...safelist, close: () => manifests.close() };
  },
});
