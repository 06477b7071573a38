import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The app's types, from the committed client-facing schema (Subscription included), so a schema
 * change that breaks a screen fails codegen (a document that no longer validates) or tsc.
 */
const config: CodegenConfig = {
  schema: '../../schemas/api.graphql',
  documents: ['src/**/*.ts', 'src/**/*.tsx', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    // `web.ts codegen --check` writes a fresh copy elsewhere to compare with src/gql.
    [process.env.WEB_CODEGEN_OUT ?? 'src/gql/']: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars: { DateTime: 'string', JSON: 'unknown' } },
    },
  },
  silent: true,
};

export default config;
