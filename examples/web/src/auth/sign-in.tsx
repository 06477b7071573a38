import { useState, type FormEvent } from 'react';
import { ErrorView } from '../ui/error-view.tsx';
import { useGraph } from '../ui/use-session.ts';

/** Sign-in with the graph's login; the session (auth/session.ts) keeps and rotates the tokens. */
export function SignIn() {
  const { signIn } = useGraph();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('email')), String(form.get('password')));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main>
      <h1>Sign in to VoidTracker</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <label>
          Email
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      <ErrorView error={error} />
    </main>
  );
}
