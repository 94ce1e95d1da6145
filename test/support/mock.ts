// Helpers for the stateful mocks (scripts/mock-state.ts): the state of one account, reset; a token.

/** Forgets what the mock at `baseUrl` remembers for the account `authorization` identifies. */
export async function resetAccount(baseUrl: string, authorization: string): Promise<void> {
  const response = await fetch(`${baseUrl}/__mock/reset`, { method: "POST", headers: { authorization } });
  if (response.status !== 204) throw new Error(`mock reset answered ${response.status}`);
}

/** `Authorization: Basic …` for PayPal client credentials. */
export const basicAuth = ({ clientId, clientSecret }: { clientId: string; clientSecret: string }) => `Basic ${btoa(`${clientId}:${clientSecret}`)}`;

/** A token from the PayPal mock's own token endpoint (the mock refuses tokens it did not issue). */
export async function paypalMockToken(baseUrl: string, auth: { clientId: string; clientSecret: string }): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/oauth2/token`, {
    method: "POST",
    headers: { authorization: basicAuth(auth), "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });
  if (response.status !== 200) throw new Error(`token endpoint answered ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
