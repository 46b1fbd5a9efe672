import { useState } from 'preact/hooks';

export function SignIn(props: {
  onSignIn: (token: string, remember: boolean) => void;
  error: string | undefined;
  /** The studio's provider, when Shotcaller is set up for it. */
  oidc: { url: string; displayName: string } | null;
}) {
  // Back to the page asked for once signed in (the server accepts only a `#/…` fragment).
  const returnTo = /^#\/[A-Za-z0-9/_-]*$/.test(location.hash) ? location.hash : '#/';
  const [token, setToken] = useState('');
  const [remember, setRemember] = useState(false);
  return (
    <main class="sign-in">
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim()) props.onSignIn(token.trim(), remember);
        }}
      >
        <h1>Shotcaller</h1>
        {props.oidc && (
          <>
            <a class="button primary" href={`${props.oidc.url}?${new URLSearchParams({ returnTo })}`}>
              Sign in with {props.oidc.displayName}
            </a>
            <p class="hint">Or, for a script's or an admin's API token:</p>
          </>
        )}
        <p>Sign in with the API token your Shotcaller admin gave you.</p>
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="off"
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
          autofocus
        />
        <label class="remember">
          <input
            type="checkbox"
            name="remember"
            checked={remember}
            onChange={(e) => setRemember((e.target as HTMLInputElement).checked)}
          />{' '}
          Remember me in this tab
        </label>
        <p class="hint">
          Without it the token is kept only while this page is open: a reload asks for it again.
        </p>
        <button type="submit">Sign in</button>
        {props.error && (
          <p class="error" role="alert">
            {props.error}
          </p>
        )}
      </form>
    </main>
  );
}
