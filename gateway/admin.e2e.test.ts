import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, OTHER_TENANT } from '../subgraphs/iam/seed.ts';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { availableBackends, orderInput, startTestGraph, type TestGraph } from './testing/harness.ts';

const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken user { id roles active } } }';
const REFRESH = 'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }';
const INVITE = `mutation($input: InviteUserInput!) {
  inviteUser(input: $input) { token invitation { id email name roles status expiresAt } }
}`;
const ACCEPT = `mutation($token: String!, $password: String!, $name: String) {
  acceptInvitation(token: $token, password: $password, name: $name) { accessToken refreshToken user { id email name roles active organization { slug } } }
}`;
const CHANGE_ROLES = 'mutation($id: ID!, $roles: [Role!]!) { changeUserRoles(userId: $id, roles: $roles) { id roles } }';
const DEACTIVATE = 'mutation($id: ID!) { deactivateUser(userId: $id) { id active deactivatedAt } }';
const REACTIVATE = 'mutation($id: ID!) { reactivateUser(userId: $id) { id active deactivatedAt } }';
const USERS = `query($first: Int, $after: String, $filter: UserFilter) {
  users(first: $first, after: $after, filter: $filter) { edges { cursor node { id email roles active } } pageInfo { hasNextPage endCursor } }
}`;
const SETTINGS = 'mutation($input: OrganizationSettingsInput!) { updateOrganizationSettings(input: $input) { id name locale currency timeZone } }';
const AUDIT = 'query($filter: AuditLogFilter) { auditLog(filter: $filter, first: 10) { edges { node { eventType entityId data } } } }';
const CREATE_CARD = 'mutation($input: CreateRateCardInput!) { createRateCard(input: $input) { id isDefault } }';
const PRICE = `query($input: PriceQuoteInput!) {
  priceQuote(input: $input) { total currency totalMoney { amount currency formatted } }
}`;
const CREATE_ORG = `mutation($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { organization { id name slug locale currency timeZone } invitation { email roles status } invitationToken }
}`;

describe.each(await availableBackends())('the admin back office through the gateway on %s', (backend) => {
  let g: TestGraph;
  let admin: string;
  beforeAll(async () => {
    g = await startTestGraph(backend);
    admin = await g.login('admin@demo.test');
  });
  afterAll(() => g?.close());

  /** Invites and accepts in one go; returns the new user's id and first session. */
  async function join(email: string, roles: string[], password = 'a good password') {
    const invited = await g.gql(INVITE, { input: { email, name: 'New Person', roles } }, admin);
    expect(invited.errors).toBeUndefined();
    const accepted = await g.gql(ACCEPT, { token: invited.data!.inviteUser.token, password });
    expect(accepted.errors).toBeUndefined();
    return accepted.data!.acceptInvitation as { accessToken: string; refreshToken: string; user: { id: string } };
  }

  it('given an invitation, when accepted with a password, then the person is a user of the organization and can log in', async () => {
    const invited = await g.gql(INVITE, { input: { email: ' Nia.Driver@Demo.test', name: 'Nia', roles: ['DRIVER'] } }, admin);
    expect(invited.errors).toBeUndefined();
    const { token, invitation } = invited.data!.inviteUser;
    expect(token).toMatch(/^vti_/);
    expect(invitation).toMatchObject({ email: 'nia.driver@demo.test', roles: ['DRIVER'], status: 'PENDING' });
    expect(new Date(invitation.expiresAt).getTime()).toBeGreaterThan(Date.now());

    const accepted = await g.gql(ACCEPT, { token, password: 'nia drives safely', name: 'Nia Nowak' });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.acceptInvitation.user).toMatchObject({ email: 'nia.driver@demo.test', name: 'Nia Nowak', roles: ['DRIVER'], active: true, organization: { slug: 'demo' } });

    const login = await g.gql(LOGIN, { e: 'nia.driver@demo.test', p: 'nia drives safely' });
    expect(login.data?.login.user).toMatchObject({ roles: ['DRIVER'], active: true });
    // Announced to the other domains (planning learns its drivers from it); the audit log shows it arrived.
    const userId = accepted.data!.acceptInvitation.user.id;
    const registered = await eventually('user.registered in the audit log', async () => {
      const res = await g.gql(AUDIT, { filter: { entityId: userId, eventType: 'voidtracker.iam.user.registered.v1' } }, admin);
      return res.data?.auditLog.edges[0]?.node;
    });
    expect(registered.data).toMatchObject({ userId, email: 'nia.driver@demo.test', name: 'Nia Nowak', roles: ['DRIVER'] });

    // Single use: the same token again is refused with a stable reason.
    const again = await g.gql(ACCEPT, { token, password: 'another password' });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token', reason: 'INVITATION_USED' });
    const forged = await g.gql(ACCEPT, { token: `vti_${'A'.repeat(43)}`, password: 'another password' });
    expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token', reason: 'INVITATION_INVALID' });
  });

  it('given a newer invitation for the same email, then only the newest token works', async () => {
    const first = (await g.gql(INVITE, { input: { email: 'twice@demo.test', name: 'Twice', roles: ['FINANCE'] } }, admin)).data!.inviteUser.token;
    const second = (await g.gql(INVITE, { input: { email: 'twice@demo.test', name: 'Twice', roles: ['AUDITOR'] } }, admin)).data!.inviteUser.token;
    expect((await g.gql(ACCEPT, { token: first, password: 'a good password' })).errors?.[0]?.extensions?.reason).toBe('INVITATION_INVALID');
    expect((await g.gql(ACCEPT, { token: second, password: 'a good password' })).data?.acceptInvitation.user.roles).toEqual(['AUDITOR']);
  });

  it('given bad invitations, then each error names its field and code', async () => {
    const existing = await g.gql(INVITE, { input: { email: 'dispatcher@demo.test', name: 'Dup', roles: ['DRIVER'] } }, admin);
    expect(existing.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.email' });
    const operator = await g.gql(INVITE, { input: { email: 'x@demo.test', name: 'X', roles: ['PLATFORM_OPERATOR'] } }, admin);
    expect(operator.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.roles.0' });
    const token = (await g.gql(INVITE, { input: { email: 'short@demo.test', name: 'S', roles: ['DRIVER'] } }, admin)).data!.inviteUser.token;
    expect((await g.gql(ACCEPT, { token, password: 'short' })).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
  });

  it('given a user, when their roles change, then their next session carries the new roles', async () => {
    const { user } = await join('promoted@demo.test', ['DRIVER']);
    const changed = await g.gql(CHANGE_ROLES, { id: user.id, roles: ['DISPATCHER', 'DRIVER'] }, admin);
    expect(changed.data?.changeUserRoles.roles).toEqual(['DISPATCHER', 'DRIVER']);
    const login = await g.gql(LOGIN, { e: 'promoted@demo.test', p: 'a good password' });
    expect(login.data?.login.user.roles).toEqual(['DISPATCHER', 'DRIVER']);
  });

  it('given the only admin, when they would remove their own ADMIN role or deactivate themselves, then CONFLICT', async () => {
    const demote = await g.gql(CHANGE_ROLES, { id: DEMO.users[0].id, roles: ['DISPATCHER'] }, admin);
    expect(demote.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'roles' });
    const off = await g.gql(DEACTIVATE, { id: DEMO.users[0].id }, admin);
    expect(off.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('given a deactivated user, then login and refresh are refused, and after reactivation login works again', async () => {
    const session = await join('leaver@demo.test', ['DISPATCHER']);
    const off = await g.gql(DEACTIVATE, { id: session.user.id }, admin);
    expect(off.data?.deactivateUser).toMatchObject({ id: session.user.id, active: false });
    expect(off.data?.deactivateUser.deactivatedAt).not.toBeNull();

    const login = await g.gql(LOGIN, { e: 'leaver@demo.test', p: 'a good password' });
    expect(login.data).toBeNull();
    expect(login.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'USER_DEACTIVATED' });
    // A wrong password still gets the ordinary answer: deactivation is told only to whoever knows the password.
    const wrong = await g.gql(LOGIN, { e: 'leaver@demo.test', p: 'not the password' });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const refresh = await g.gql(REFRESH, { t: session.refreshToken });
    expect(refresh.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const on = await g.gql(REACTIVATE, { id: session.user.id }, admin);
    expect(on.data?.reactivateUser).toEqual({ id: session.user.id, active: true, deactivatedAt: null });
    expect((await g.gql(LOGIN, { e: 'leaver@demo.test', p: 'a good password' })).data?.login.user.active).toBe(true);
    // The sessions ended by the deactivation stay ended.
    expect((await g.gql(REFRESH, { t: session.refreshToken })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const announced = await eventually('user.deactivated and user.reactivated in the audit log', async () => {
      const types = await Promise.all(
        ['deactivated', 'reactivated'].map(async (what) => {
          const res = await g.gql(AUDIT, { filter: { entityId: session.user.id, eventType: `voidtracker.iam.user.${what}.v1` } }, admin);
          return res.data?.auditLog.edges[0]?.node.data;
        }),
      );
      return types.every(Boolean) ? types : undefined;
    });
    expect(announced).toEqual([
      { userId: session.user.id, deactivatedBy: DEMO.users[0].id },
      { userId: session.user.id, reactivatedBy: DEMO.users[0].id },
    ]);
  });

  it('given a deactivated admin with a still-valid access token, then iam refuses their admin commands', async () => {
    const second = await join('second.admin@demo.test', ['ADMIN']);
    expect((await g.gql(DEACTIVATE, { id: second.user.id }, admin)).errors).toBeUndefined();
    // iam's own re-read (FORBIDDEN, USER_DEACTIVATED) or, once it heard the event, the deny-list (UNAUTHENTICATED, TOKEN_REVOKED).
    const refused = ['FORBIDDEN USER_DEACTIVATED', 'UNAUTHENTICATED TOKEN_REVOKED'];
    const answer = (res: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => `${res.errors?.[0]?.extensions?.code} ${res.errors?.[0]?.extensions?.reason}`;
    const attempt = await g.gql(REACTIVATE, { id: second.user.id }, second.accessToken);
    expect(refused).toContain(answer(attempt));
    const invite = await g.gql(INVITE, { input: { email: 'sneaky@demo.test', name: 'S', roles: ['ADMIN'] } }, second.accessToken);
    expect(refused).toContain(answer(invite));
  });

  it('given users, when listed with a filter, then pages follow each other without overlap and stay in the tenant', async () => {
    for (const n of [1, 2, 3]) await join(`pager${n}@demo.test`, ['CUSTOMER']);
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res: Awaited<ReturnType<typeof g.gql<Record<string, any>>>> = await g.gql(USERS, { first: 2, after, filter: { role: 'CUSTOMER', search: 'PAGER' } }, admin);
      expect(res.errors).toBeUndefined();
      const page = res.data!.users;
      seen.push(...page.edges.map((e: { node: { email: string } }) => e.node.email));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 5);
    expect(pages).toBe(2);
    // Newest first (ids are UUIDv7).
    expect(seen).toEqual(['pager3@demo.test', 'pager2@demo.test', 'pager1@demo.test']);

    const inactive = await g.gql(USERS, { filter: { active: false } }, admin);
    expect(inactive.data!.users.edges.map((e: { node: { email: string } }) => e.node.email)).toContain('second.admin@demo.test');
    expect(inactive.data!.users.edges.every((e: { node: { active: boolean } }) => !e.node.active)).toBe(true);
    const all = await g.gql(USERS, { first: 100 }, admin);
    const emails = all.data!.users.edges.map((e: { node: { email: string } }) => e.node.email);
    expect(emails).toContain('dispatcher@demo.test');
    expect(emails.some((e: string) => e.endsWith('@globex.test'))).toBe(false);
  });

  it('given a non-admin, then every admin operation is FORBIDDEN', async () => {
    const dispatcher = await g.login('dispatcher@demo.test');
    for (const [query, variables] of [
      [USERS, {}],
      [INVITE, { input: { email: 'x@demo.test', name: 'X', roles: ['DRIVER'] } }],
      [CHANGE_ROLES, { id: DEMO.users[2].id, roles: ['ADMIN'] }],
      [DEACTIVATE, { id: DEMO.users[2].id }],
      [SETTINGS, { input: { name: 'Mine now' } }],
      [CREATE_ORG, { input: { name: 'X', slug: 'x-corp', admin: { email: 'x@x.test', name: 'X' } } }],
    ] as const) {
      const res = await g.gql(query, variables, dispatcher);
      expect(res.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
    }
  });

  it('given another tenant’s user id, then it is NOT_FOUND exactly like an unknown one', async () => {
    const unknown = '01900000-0000-7000-8000-00000000ffff';
    for (const [query, variables] of [
      [CHANGE_ROLES, { roles: ['DRIVER'] }],
      [DEACTIVATE, {}],
      [REACTIVATE, {}],
    ] as const) {
      const answers = [];
      for (const id of [OTHER_TENANT.users[0].id, unknown, 'not-a-uuid']) {
        const res = await g.gql(query, { ...variables, id }, admin);
        expect(res.data, `${query} ${id}`).toBeNull();
        answers.push(res.errors);
      }
      expect(answers[0]?.[0]).toMatchObject({ message: 'User not found.', extensions: { code: 'NOT_FOUND', field: 'userId' } });
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
    }
    // The other tenant's user was not touched: they still log in.
    expect((await g.gql(LOGIN, { e: 'dispatcher@globex.test', p: 'voidtracker' })).data?.login.user.roles).toEqual(['DISPATCHER']);
  });

  it('given new settings, then the organization shows them, and bad values name their field', async () => {
    const updated = await g.gql(SETTINGS, { input: { locale: 'de-de', currency: 'eur', timeZone: 'Europe/Berlin' } }, admin);
    expect(updated.data?.updateOrganizationSettings).toMatchObject({ name: 'Demo Logistics', locale: 'de-DE', currency: 'EUR', timeZone: 'Europe/Berlin' });
    const me = await g.gql('{ me { organization { locale currency timeZone } } }', {}, await g.login('customer@demo.test'));
    expect(me.data?.me.organization).toEqual({ locale: 'de-DE', currency: 'EUR', timeZone: 'Europe/Berlin' });
    const bad = await g.gql(SETTINGS, { input: { timeZone: 'Mars/Olympus' } }, admin);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.timeZone' });
  });

  it('given a platform operator, when creating an organization, then its first ADMIN is invited and can run it', async () => {
    const operator = await g.login('operator@platform.test');
    const created = await g.gql(
      CREATE_ORG,
      { input: { name: 'Dhaka Express', slug: 'dhaka-express', locale: 'bn-BD', currency: 'BDT', timeZone: 'Asia/Dhaka', admin: { email: 'boss@dhaka.test', name: 'Boss' } } },
      operator,
    );
    expect(created.errors).toBeUndefined();
    const { organization, invitation, invitationToken } = created.data!.createOrganization;
    expect(organization).toMatchObject({ name: 'Dhaka Express', slug: 'dhaka-express', locale: 'bn-BD', currency: 'BDT', timeZone: 'Asia/Dhaka' });
    expect(invitation).toEqual({ email: 'boss@dhaka.test', roles: ['ADMIN'], status: 'PENDING' });

    const boss = await g.gql(ACCEPT, { token: invitationToken, password: 'run the show' });
    expect(boss.data?.acceptInvitation.user).toMatchObject({ roles: ['ADMIN'], organization: { slug: 'dhaka-express' } });
    const users = await g.gql(USERS, {}, boss.data!.acceptInvitation.accessToken);
    expect(users.data!.users.edges.map((e: { node: { email: string } }) => e.node.email)).toEqual(['boss@dhaka.test']);

    const again = await g.gql(CREATE_ORG, { input: { name: 'Copy', slug: 'dhaka-express', admin: { email: 'other@dhaka.test', name: 'O' } } }, operator);
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.slug' });
    // An operator is no admin of any tenant, its own included.
    expect((await g.gql(USERS, {}, operator)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // And an organization's ADMIN cannot create organizations.
    const byAdmin = await g.gql(CREATE_ORG, { input: { name: 'Y', slug: 'y-corp', admin: { email: 'y@y.test', name: 'Y' } } }, admin);
    expect(byAdmin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  /** Prices one parcel with a fresh default card that charges exactly `amount`, until billing formats it as expected. */
  async function formattedQuote(token: string, currency: string, amount: string, expected: string) {
    const card = await g.gql(CREATE_CARD, { input: { code: `FMT_${currency}`, name: 'Formatting', currency, rules: [{ kind: 'BASE_FEE', amount }], makeDefault: true } }, token);
    expect(card.errors).toBeUndefined();
    // The locale reaches billing as iam's organization event: wait for it to arrive, not for a time.
    return eventually(`${expected} from billing`, async () => {
      const quote = (await g.gql(PRICE, { input: { parcels: [{ weightKg: 1 }], distanceKm: 1 } }, token)).data?.priceQuote;
      return quote?.totalMoney.formatted === expected ? quote : undefined;
    });
  }

  it('given an organization in bn-BD, then money is formatted by Intl in its locale, the exact amount unchanged', async () => {
    const operator = await g.login('operator@platform.test');
    const created = await g.gql(
      CREATE_ORG,
      { input: { name: 'Taka Freight', slug: 'taka-freight', locale: 'bn-BD', currency: 'BDT', timeZone: 'Asia/Dhaka', admin: { email: 'admin@taka.test', name: 'Rahim' } } },
      operator,
    );
    const boss = (await g.gql(ACCEPT, { token: created.data!.createOrganization.invitationToken, password: 'taka taka taka' })).data!.acceptInvitation;
    const quote = await formattedQuote(boss.accessToken, 'BDT', '123456.5', '১,২৩,৪৫৬.৫০৳');
    expect(quote).toEqual({ total: '123456.50', currency: 'BDT', totalMoney: { amount: '123456.50', currency: 'BDT', formatted: '১,২৩,৪৫৬.৫০৳' } });

    // Latin digits are a locale extension away, and the change reaches billing as organization.updated.
    expect((await g.gql(SETTINGS, { input: { locale: 'bn-BD-u-nu-latn' } }, boss.accessToken)).errors).toBeUndefined();
    await eventually('Latin digits', async () => {
      const q = (await g.gql(PRICE, { input: { parcels: [{ weightKg: 1 }], distanceKm: 1 } }, boss.accessToken)).data?.priceQuote;
      return q?.totalMoney.formatted === '1,23,456.50৳';
    });
  });

  it('given an organization in de-DE, then euros read 1.234,50 €', async () => {
    expect((await g.gql(SETTINGS, { input: { locale: 'de-DE' } }, admin)).errors).toBeUndefined();
    const quote = await formattedQuote(admin, 'EUR', '1234.5', '1.234,50\u00a0€');
    expect(quote.totalMoney).toEqual({ amount: '1234.50', currency: 'EUR', formatted: '1.234,50\u00a0€' });

    // A stored quote (Order.quote, priced from orders' event) is formatted the same way.
    const dispatcher = await g.login('dispatcher@demo.test');
    const order = await g.gql('mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: orderInput() }, dispatcher);
    const stored = await eventually('the order’s quote', async () => {
      const res = await g.gql('query($id: ID!) { order(id: $id) { quote { total totalMoney { amount currency formatted } } } }', { id: order.data!.createOrder.id }, dispatcher);
      return res.data?.order?.quote ?? undefined;
    });
    expect(stored).toEqual({ total: '1234.50', totalMoney: { amount: '1234.50', currency: 'EUR', formatted: '1.234,50\u00a0€' } });
  });
});
