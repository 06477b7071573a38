import { expect } from 'vitest';
import type { GqlResponse, TestGraph } from './harness.ts';

/** The GraphQL promise every answer must keep: never `data: null` without an error to say why. */
export function keepsPromise(res: GqlResponse): GqlResponse {
  if (res.data == null) expect(res.errors?.length, `data: null without errors: ${JSON.stringify(res)}`).toBeGreaterThan(0);
  return res;
}

export const ok = <T = any>(res: GqlResponse<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};

/** The codes of the errors whose path starts with `prefix`. */
export const codesAt = (res: GqlResponse, prefix: Array<string | number>) =>
  (res.errors ?? []).filter((e) => prefix.every((p, i) => e.path?.[i] === p)).map((e) => e.extensions?.code);

/** The URL of one subgraph of the test graph, to probe it as an attacker who reaches its port would. */
export const subgraphUrl = (g: TestGraph, name: string) => g.graph.subgraphs.find((s) => s.name === name)!.url;

const INVITE = 'mutation($input: InviteUserInput!) { inviteUser(input: $input) { token } }';
const ACCEPT = 'mutation($token: String!, $password: String!) { acceptInvitation(token: $token, password: $password) { accessToken user { id } } }';

/** Invites a user with these roles as the admin, accepts, and returns their id and token. */
export async function join(g: TestGraph, admin: string, email: string, roles: string[], name = 'New Person') {
  const token = ok(await g.gql(INVITE, { input: { email, name, roles } }, admin)).inviteUser.token;
  const accepted = ok(await g.gql(ACCEPT, { token, password: 'a good password' })).acceptInvitation;
  return { id: accepted.user.id as string, token: accepted.accessToken as string };
}
