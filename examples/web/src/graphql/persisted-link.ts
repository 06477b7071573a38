import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { generatePersistedQueryIdsAtRuntime, generatePersistedQueryIdsFromManifest } from '@apollo/persisted-query-lists';

/** SHA-256 hex in the browser (dev only: the build uses the manifest's ids). */
async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Operations go by id. The build sends the ids of its persisted-query manifest (extracted at
 * build time, served beside the app), which a gateway in trusted-documents mode looks up in its
 * safelist; a gateway with APQ registers the body on first use. Vite's dev server has no manifest
 * and hashes at run time (APQ).
 */
export function createPersistedLink(): PersistedQueryLink {
  const ids = import.meta.env.DEV
    ? generatePersistedQueryIdsAtRuntime({ sha256 })
    : generatePersistedQueryIdsFromManifest({
        loadManifest: async () => (await fetch(`${import.meta.env.BASE_URL}persisted-query-manifest.json`)).json(),
      });
  return new PersistedQueryLink(ids);
}
