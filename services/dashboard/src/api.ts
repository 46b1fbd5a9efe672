/** An RFC 9457 problem from the API, with what a person needs to read. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly code: string,
  ) {
    super(detail);
  }
}

export type Role = 'td' | 'accountant' | 'compliance' | 'vendor' | 'admin';
export interface Me {
  name: string;
  subject: string;
  by: 'api-token' | 'oidc-session' | 'oidc-access-token';
  role: Role;
  roles: Role[];
  shows: string[] | '*';
  vendorId?: string;
}

/**
 * The API as the signed-in person: with an API token on every call, or with none when they signed
 * in with the studio's provider (the HTTP-only session cookie then goes with each same-origin call).
 */
export class Api {
  constructor(readonly token?: string) {}

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: {
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiProblem(0, 'The Shotcaller API cannot be reached', 'unreachable');
    }
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as {
        detail?: string;
        code?: string;
        errors?: Array<{ path: string; message: string }>;
      };
      const fields = (problem.errors ?? []).map((e) => `${e.path}: ${e.message}`).join('; ');
      throw new ApiProblem(
        response.status,
        `${problem.detail ?? response.statusText}${fields && !problem.detail?.includes(fields) ? ` (${fields})` : ''}`,
        problem.code ?? String(response.status),
      );
    }
    return response;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await this.send(method, path, body)).json()) as T;
  }

  get<T>(path: string): Promise<T> {
    return this.json<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>('POST', path, body);
  }

  async blob(path: string): Promise<Blob> {
    return (await this.send('GET', path)).blob();
  }
}

export const money = (amountMinor: number | undefined | null, currency: string) => {
  if (amountMinor === undefined || amountMinor === null || !currency) return '';
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return `${currency} ${(amountMinor / 10 ** digits).toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
};

export const when = (iso: string | undefined) =>
  iso ? new Date(iso).toLocaleString('en-GB', { hour12: false }) : '';
