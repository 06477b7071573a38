import { builder } from '../builder.ts';
import type { AuthPayload } from '../services/sessions.ts';
import { asSignedIn, UserType } from './user.ts';

export const AuthPayloadType = builder.objectRef<AuthPayload>('AuthPayload').implement({
  description: 'A short-lived access token for the Authorization header and a rotating refresh token.',
  fields: (t) => ({
    accessToken: t.exposeString('accessToken', { description: 'ES256 JWT; send as `Authorization: Bearer <token>`.' }),
    refreshToken: t.exposeString('refreshToken', { description: 'Single use: each refresh returns a new one.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', description: 'When the access token expires.' }),
    user: t.field({ type: UserType, resolve: (p) => asSignedIn(p.user) }),
  }),
});

builder.mutationFields((t) => ({
  login: t.field({
    type: AuthPayloadType,
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: (_root, { email, password }, ctx) => ctx.services.sessions.login(email, password),
  }),
  refreshToken: t.field({
    type: AuthPayloadType,
    description: 'Exchanges a refresh token for new tokens. A token used twice revokes its whole session.',
    args: { refreshToken: t.arg.string({ required: true }) },
    resolve: (_root, { refreshToken }, ctx) => ctx.services.sessions.refresh(refreshToken),
  }),
  logout: t.boolean({
    description: 'Ends the session the refresh token belongs to. False when it was already ended or unknown.',
    args: { refreshToken: t.arg.string({ required: true }) },
    resolve: (_root, { refreshToken }, ctx) => ctx.services.sessions.logout(refreshToken),
  }),
}));
