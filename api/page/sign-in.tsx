/**
 * Signing in to a service that asks for keys: a form for the key (a password field, never kept by
 * the page), and once signed in a bar with the role, the key's label and a sign-out button.
 */
import { useId, useState } from "preact/hooks";
import { problemText } from "./api-client.ts";
import type { SessionInfo } from "./contract.ts";
import { signIn, signOut } from "./session-api.ts";

export function SignInForm(props: { reason: string; onSignedIn: (session: SessionInfo) => void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const keyId = useId();
  const submit = async () => {
    setBusy(true);
    setError("");
    try {
      const session = await signIn(key.trim());
      setKey("");
      props.onSignedIn(session);
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="sign-in-heading" class="sign-in">
      <h2 id="sign-in-heading">Sign in</h2>
      <p>This service asks for an API key. Your key's role decides what you can do here.{props.reason === "" ? "" : ` ${props.reason}`}</p>
      <form
        class="row"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label for={keyId}>API key</label>
        <input id={keyId} type="password" autoComplete="off" required value={key} onInput={(event) => setKey(event.currentTarget.value)} />
        <button type="submit" class="primary" disabled={busy || key.trim() === ""}>
          Sign in
        </button>
      </form>
      {error !== "" && (
        <p role="alert" class="error" data-testid="sign-in-error">
          {error}
        </p>
      )}
    </section>
  );
}

export function SessionBar(props: { session: SessionInfo; onSignedOut: () => void }) {
  const [busy, setBusy] = useState(false);
  const out = async () => {
    setBusy(true);
    try {
      await signOut();
    } catch {
      // Signed out or not, the page forgets the session; an ended session is refused by the service anyway.
    } finally {
      setBusy(false);
      props.onSignedOut();
    }
  };
  return (
    <p class="session-bar" data-testid="session-bar">
      Signed in as <strong data-testid="session-role">{props.session.role}</strong> ({props.session.label}).{" "}
      <button type="button" onClick={() => void out()} disabled={busy}>
        Sign out
      </button>
    </p>
  );
}
