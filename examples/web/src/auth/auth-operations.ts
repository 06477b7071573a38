import { graphql } from '../gql/index.ts';

export const LoginDocument = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      ...SessionTokens
    }
  }
`);

export const RefreshDocument = graphql(`
  mutation RefreshSession($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) {
      ...SessionTokens
    }
  }
`);

export const LogoutDocument = graphql(`
  mutation Logout($refreshToken: String!) {
    logout(refreshToken: $refreshToken)
  }
`);

graphql(`
  fragment SessionTokens on AuthPayload {
    accessToken
    refreshToken
    expiresAt
    user {
      id
      email
      name
      roles
      organization {
        id
        name
        locale
        currency
      }
    }
  }
`);
