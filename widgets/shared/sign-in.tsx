import { useState } from 'preact/hooks';

/** The staff sign-in form; a refused sign-in shows the server's message. */
export function SignIn({
  title,
  signIn,
  onSignedIn,
}: {
  title: string;
  signIn: (email: string, password: string) => Promise<void>;
  onSignedIn: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    try {
      await signIn(form.get('email') as string, form.get('password') as string);
      onSignedIn();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form class="signin" onSubmit={(e) => void submit(e)}>
      <h1>{title}</h1>
      <label>
        Email <input name="email" type="email" autocomplete="username" required />
      </label>
      <label>
        Password <input name="password" type="password" autocomplete="current-password" required />
      </label>
      <button type="submit">Sign in</button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
