import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Entity {
  type: string;
  id: number;
  attributes: Record<string, unknown>;
}

/** Entity names in REST paths are plural and lower case; records carry the singular type. */
const typeOf: Record<string, string> = {
  tickets: 'Ticket',
  shots: 'Shot',
  notes: 'Note',
  projects: 'Project',
};

/**
 * A local server with Flow Production Tracking REST API v1 shapes: client-credentials tokens from
 * `/api/v1/auth/access_token`, `{ data, links }` documents, `page[number]`/`page[size]` paging with a
 * `links.next`, `{ errors: [...] }` bodies, and a `429` with `Retry-After` on demand.
 */
export class FakeShotgrid {
  readonly requests: Array<{ method: string; path: string; body: unknown }> = [];
  readonly entities: Entity[] = [];
  /** The next N entity calls answer 429 with Retry-After: 1. */
  throttleNext = 0;
  tokensIssued = 0;
  private nextId = 100;
  private readonly tokens = new Set<string>();
  private server?: Server;

  constructor(private readonly credentials: { clientId: string; clientSecret: string }) {}

  seed(entity: string, attributes: Record<string, unknown>): Entity {
    const record = { type: typeOf[entity]!, id: this.nextId++, attributes: { ...attributes } };
    this.entities.push(record);
    return record;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error) =>
        this.send(res, 500, { errors: [{ status: 500, title: String(error) }] }),
      );
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((r) => this.server?.close(r));
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url!, 'http://x');
    this.requests.push({ method: req.method!, path: url.pathname + url.search, body: raw });

    if (url.pathname === '/api/v1/auth/access_token' && req.method === 'POST') {
      if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
        return this.send(res, 400, { errors: [{ status: 400, title: 'Expected a form body' }] });
      const form = new URLSearchParams(raw);
      if (
        form.get('grant_type') !== 'client_credentials' ||
        form.get('client_id') !== this.credentials.clientId ||
        form.get('client_secret') !== this.credentials.clientSecret
      )
        return this.send(res, 400, { errors: [{ status: 400, title: 'Invalid credentials' }] });
      const token = randomUUID();
      this.tokens.add(token);
      this.tokensIssued++;
      return this.send(res, 200, {
        token_type: 'Bearer',
        access_token: token,
        expires_in: 600,
        refresh_token: randomUUID(),
      });
    }

    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!auth || !this.tokens.has(auth[1]!))
      return this.send(res, 401, {
        errors: [{ status: 401, title: 'Unauthorized', detail: 'Invalid or expired token' }],
      });
    if (this.throttleNext > 0) {
      this.throttleNext--;
      return this.send(
        res,
        429,
        { errors: [{ status: 429, title: 'Too many requests' }] },
        { 'retry-after': '1' },
      );
    }

    const m = /^\/api\/v1\/entity\/([a-z_]+)(?:\/(\d+))?$/.exec(url.pathname);
    if (!m || !typeOf[m[1]!]) return this.send(res, 404, { errors: [{ status: 404, title: 'Not found' }] });
    const entity = m[1]!;
    const type = typeOf[entity]!;
    if (req.method === 'GET' && !m[2]) {
      const filters = [...url.searchParams].filter(([k]) => k.startsWith('filter['));
      const matching = this.entities.filter(
        (e) =>
          e.type === type &&
          filters.every(([k, v]) => {
            const field = k.slice(7, -1);
            if (field === 'project.Project.id')
              return String((e.attributes.project as { id: number })?.id) === v;
            return String(e.attributes[field]) === v;
          }),
      );
      const size = Number(url.searchParams.get('page[size]') ?? 500);
      const number = Number(url.searchParams.get('page[number]') ?? 1);
      const page = matching.slice((number - 1) * size, number * size);
      const next = new URLSearchParams(url.searchParams);
      next.set('page[number]', String(number + 1));
      return this.send(res, 200, {
        data: page.map((e) => ({
          type: e.type,
          id: e.id,
          attributes: e.attributes,
          links: { self: `/api/v1/entity/${entity}/${e.id}` },
        })),
        links: {
          self: url.pathname + url.search,
          ...(number * size < matching.length ? { next: `${url.pathname}?${next}` } : {}),
        },
      });
    }
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    if (req.method === 'POST' && !m[2]) {
      const record = this.seed(entity, body);
      return this.send(res, 201, {
        data: {
          type,
          id: record.id,
          attributes: record.attributes,
          relationships: {},
          links: { self: `/api/v1/entity/${entity}/${record.id}` },
        },
        links: { self: `/api/v1/entity/${entity}/${record.id}` },
      });
    }
    if (req.method === 'PUT' && m[2]) {
      const record = this.entities.find((e) => e.type === type && e.id === Number(m[2]));
      if (!record) return this.send(res, 404, { errors: [{ status: 404, title: 'Record not found' }] });
      Object.assign(record.attributes, body);
      return this.send(res, 200, {
        data: { type, id: record.id, attributes: record.attributes, relationships: {} },
      });
    }
    return this.send(res, 405, { errors: [{ status: 405, title: 'Method not allowed' }] });
  }
}
