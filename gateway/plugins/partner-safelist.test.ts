import { describe, expect, it } from 'vitest';
import { resolveFromSafelist, SAFELIST_CODES } from './partner-safelist.ts';

const BODY = 'query Track($id: ID!) { order(id: $id) { status } }';
const ID = 'a'.repeat(64);
const lookup = (id: string) => (id === ID ? BODY : undefined);
const byId = (id: string, more: Record<string, unknown> = {}) => ({ persistedQuery: { version: 1, sha256Hash: id }, ...more });

describe('answering a partner request from its safelist', () => {
  it('given a listed id, then the stored body replaces it, and the id leaves the extensions', () => {
    expect(resolveFromSafelist({ variables: { id: '1' }, operationName: 'Track', extensions: byId(ID) }, lookup, 'shop')).toEqual({
      variables: { id: '1' },
      operationName: 'Track',
      query: BODY,
      extensions: undefined,
    });
    // Other extensions stay.
    expect(resolveFromSafelist({ extensions: byId(ID, { tracing: true }) }, lookup, 'shop')).toMatchObject({ query: BODY, extensions: { tracing: true } });
  });

  it('given an unknown id, then 404 PERSISTED_QUERY_NOT_IN_LIST naming the client', () => {
    expect(resolveFromSafelist({ extensions: byId('b'.repeat(64)) }, lookup, 'shop')).toEqual({
      code: SAFELIST_CODES.notInList,
      status: 404,
      message: 'The persisted query is not in the safelist of client shop.',
    });
  });

  it('given free text, or nothing at all, then 400 PERSISTED_QUERY_ID_REQUIRED', () => {
    for (const params of [{ query: BODY }, {}, { extensions: { persistedQuery: { version: 1 } } }, { extensions: 'not an object' }]) {
      expect(resolveFromSafelist(params, lookup, 'shop'), JSON.stringify(params)).toMatchObject({ code: SAFELIST_CODES.idRequired, status: 400 });
    }
  });

  it('given an id and text, even the listed text, then 400 CANNOT_SEND_PQ_ID_AND_BODY', () => {
    expect(resolveFromSafelist({ query: BODY, extensions: byId(ID) }, lookup, 'shop')).toMatchObject({ code: SAFELIST_CODES.idAndBody, status: 400 });
    // Blank text counts as none.
    expect(resolveFromSafelist({ query: '  ', extensions: byId(ID) }, lookup, 'shop')).toMatchObject({ query: BODY });
  });
});
