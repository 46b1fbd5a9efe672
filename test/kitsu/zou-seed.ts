import type { ZouServerHandle } from '@shotcaller/engines';

/** Seeds a Zou server through its own REST API, as a production coordinator would in Kitsu. */
export class ZouSeeder {
  private token = '';
  constructor(private readonly zou: ZouServerHandle) {}

  async login(): Promise<void> {
    const r = await fetch(`${this.zou.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(this.zou.admin),
    });
    if (!r.ok) throw new Error(`login ${r.status}: ${await r.text()}`);
    this.token = ((await r.json()) as { access_token: string }).access_token;
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await fetch(`${this.zou.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!r.ok) throw new Error(`${method} ${path} → ${r.status}: ${await r.text()}`);
    const text = await r.text();
    return (text ? JSON.parse(text) : {}) as T;
  }
}
