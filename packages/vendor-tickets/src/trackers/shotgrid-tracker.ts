import { ShotcallerError } from '@shotcaller/contracts';
import { z } from 'zod';
import type { TrackerChange, TrackerTicket, VendorTracker } from './tracker';

export const ShotgridConfig = z.strictObject({
  /** The site, e.g. https://studio.shotgrid.autodesk.com */
  url: z.url(),
  /** The API script's name and key: OAuth client-credentials as Flow Production Tracking uses them. */
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  projectId: z.int().positive(),
  /** Ticket field that links to the Shot entity (a custom entity field most studios add). */
  shotLinkField: z.string().default('sg_shot'),
  /** Ticket statuses by ticket step; the defaults are FPTR's stock Ticket statuses. */
  statuses: z.record(z.string(), z.string()).default({
    bidding: 'opn',
    awarded: 'ip',
    delivered: 'rev',
    'changes-requested': 'ip',
    approved: 'res',
    closed: 'clsd',
  }),
  pageSize: z.int().positive().max(500).default(100),
  maxRetries: z.int().nonnegative().default(5),
});
export type ShotgridConfig = z.infer<typeof ShotgridConfig>;

export class ShotgridRequestFailed extends ShotcallerError {
  readonly code = 'shotgrid_request_failed';
  constructor(
    readonly status: number,
    what: string,
    detail: string,
  ) {
    super(`Flow Production Tracking refused ${what} (HTTP ${status}): ${detail}`);
  }
}

interface EntityRecord {
  type: string;
  id: number;
  attributes: Record<string, unknown>;
  relationships?: Record<string, unknown>;
  links?: Record<string, string>;
}

/**
 * Tickets in Flow Production Tracking (ShotGrid) through its REST API v1: client-credentials tokens,
 * Ticket entities linked to the Shot, a Note per step, paged reads, and `429`s waited out as
 * `Retry-After` says.
 */
export class ShotgridTracker implements VendorTracker {
  readonly name = 'shotgrid';
  private token?: { value: string; expiresAt: number };

  constructor(
    private readonly config: ShotgridConfig,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async open(t: TrackerTicket): Promise<{ trackerRef: string }> {
    const title = `[${t.ticketId}] ${t.label}`;
    // A retried open finds the ticket the first try made.
    const existing = await this.findAll('tickets', { title, 'project.Project.id': this.config.projectId }, [
      'id',
    ]);
    if (existing[0]) return { trackerRef: String(existing[0].id) };
    const code = t.label.split('/').pop()!;
    const shots = await this.findAll('shots', { code, 'project.Project.id': this.config.projectId }, [
      'id',
      'code',
    ]);
    const created = await this.request<{ data: EntityRecord }>(
      'POST',
      '/api/v1/entity/tickets',
      'creating a ticket',
      {
        project: { type: 'Project', id: this.config.projectId },
        title,
        description: [
          t.brief,
          `Frames ${t.frames.start}-${t.frames.end}`,
          t.deadline ? `Deadline ${t.deadline}` : '',
          `Bids (${t.estimate.currency}) due ${t.bidDeadline} from: ${t.terms.vendors.join(', ')}`,
        ]
          .filter(Boolean)
          .join('\n'),
        sg_status_list: this.status('bidding'),
        ...(shots[0] ? { [this.config.shotLinkField]: { type: 'Shot', id: shots[0].id } } : {}),
      },
    );
    return { trackerRef: String(created.data.id) };
  }

  async update(trackerRef: string, change: TrackerChange): Promise<void> {
    const id = Number(trackerRef);
    const status = change.ticket.phase === 'closed' ? this.status('closed') : this.status(change.status);
    if (status) {
      await this.request('PUT', `/api/v1/entity/tickets/${id}`, `updating ticket ${id}`, {
        sg_status_list: status,
      });
    }
    await this.request('POST', '/api/v1/entity/notes', `posting a note on ticket ${id}`, {
      project: { type: 'Project', id: this.config.projectId },
      subject: `${change.ticket.ticketId}: ${change.status}`,
      content: change.note,
      note_links: [{ type: 'Ticket', id }],
    });
  }

  /** Every record matching simple equality filters, following the `links.next` of each page. */
  async findAll(
    entity: string,
    filters: Record<string, string | number>,
    fields: string[],
  ): Promise<EntityRecord[]> {
    const out: EntityRecord[] = [];
    const query = new URLSearchParams({
      fields: fields.join(','),
      'page[size]': String(this.config.pageSize),
    });
    for (const [k, v] of Object.entries(filters)) query.set(`filter[${k}]`, String(v));
    query.set('page[number]', '1');
    let path: string | undefined = `/api/v1/entity/${entity}?${query}`;
    while (path) {
      const page: { data: EntityRecord[]; links?: { next?: string | null } } = await this.request(
        'GET',
        path,
        `reading ${entity}`,
      );
      out.push(...page.data);
      path = page.data.length > 0 && page.links?.next ? page.links.next : undefined;
    }
    return out;
  }

  private status(step: string): string | undefined {
    return this.config.statuses[step];
  }

  private async accessToken(force = false): Promise<string> {
    if (!force && this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.config.clientId,
      client_secret: this.config.clientSecret,
    });
    const response = await this.fetchWithRetry(`${this.base()}/api/v1/auth/access_token`, 'signing in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    });
    const json = (await response.json()) as { access_token: string; expires_in: number };
    // Renew a little early, so a token never lapses between a check and a call.
    this.token = {
      value: json.access_token,
      expiresAt: Date.now() + Math.max(json.expires_in - 30, 1) * 1000,
    };
    return this.token.value;
  }

  private base(): string {
    return this.config.url.replace(/\/+$/, '');
  }

  private async request<T>(method: string, path: string, what: string, body?: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken(attempt > 0);
      const response = await this.fetchWithRetry(`${this.base()}${path}`, what, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      // An expired token is renewed once; a second 401 is a real refusal.
      if (response.status === 401 && attempt === 0) continue;
      if (!response.ok) throw await this.failure(response, what);
      return (await response.json()) as T;
    }
  }

  private async fetchWithRetry(url: string, what: string, init: RequestInit): Promise<Response> {
    for (let waits = 0; ; waits++) {
      const response = await fetch(url, init);
      if (response.status !== 429 && response.status < 500) {
        if (response.status === 401 || response.ok) return response;
        throw await this.failure(response, what);
      }
      if (waits >= this.config.maxRetries) throw await this.failure(response, what);
      const header = response.headers.get('retry-after');
      const seconds = header && /^\d+$/.test(header.trim()) ? Number(header.trim()) : undefined;
      await response.body?.cancel();
      await this.sleep(seconds !== undefined ? seconds * 1000 : 500 * 2 ** waits);
    }
  }

  private async failure(response: Response, what: string): Promise<ShotgridRequestFailed> {
    let detail = response.statusText;
    try {
      const json = (await response.json()) as { errors?: Array<{ title?: string; detail?: string }> };
      const e = json.errors?.[0];
      if (e) detail = [e.title, e.detail].filter(Boolean).join(': ');
    } catch {
      // Not JSON: the status text says enough.
    }
    return new ShotgridRequestFailed(response.status, what, detail);
  }
}
