import { useState } from 'preact/hooks';

export function SignIn(props: { onSignIn: (token: string) => void; error: string | undefined }) {
  const [token, setToken] = useState('');
  return (
    <main class="sign-in">
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (token.trim()) props.onSignIn(token.trim());
        }}
      >
        <h1>Shotcaller</h1>
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
