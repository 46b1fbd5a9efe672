import { Readable } from 'node:stream';
import { ShotcallerError } from '@shotcaller/contracts';
import type { RedisClient } from '@shotcaller/events';
import type { SigningIdentity } from '@shotcaller/provenance';
import type { ShotPartitions, ShotRecord } from '@shotcaller/shots';
import type { ArtifactStore, UploadTokens } from '@shotcaller/storage';
import {
  AwardInput,
  Bid,
  BidInput,
  checkDeliveredFiles,
  DeliveryInput,
  deliveryKey,
  InvoiceInput,
  LocalTicket,
  LocalTracker,
  ReviewInput,
  recordDeliveryCredentials,
  shotIdOfTicket,
  type TicketClient,
  TicketForbidden,
  TicketNotFound,
  TicketRefused,
  TicketState,
  UploadRequest,
} from '@shotcaller/vendor-tickets';
import { z } from 'zod';
import { actorName, canSeeShow, type Principal } from '../auth';
import { type RouteSpec, route } from '../route-spec';

class UploadNotOctetStream extends ShotcallerError {
  readonly code = 'unsupported_media_type';
}

class TicketsUnavailable extends ShotcallerError {
  readonly code = 'tickets_unavailable';
  constructor() {
    super('Vendor tickets need Temporal: set temporal.address (TEMPORAL_ADDRESS) for the api role');
  }
}

const TicketParams = z.strictObject({
  id: z.string().regex(/^tk-[A-Za-z0-9-]+$/, 'must be a ticket id (tk-…)'),
});
/** A vendor token says which vendor it is; an admin acting for a vendor names it. */
const AsVendor = { vendorId: z.string().min(1).optional() };
const BidBody = BidInput.omit({ vendorId: true }).extend(AsVendor);
const DeliveryBody = DeliveryInput.omit({ vendorId: true }).extend(AsVendor);
const InvoiceBody = InvoiceInput.omit({ vendorId: true }).extend(AsVendor);
const AwardBody = AwardInput.omit({ by: true });
const ReviewBody = ReviewInput.omit({ by: true });
const UploadBody = UploadRequest.extend(AsVendor);
const UploadTargets = z.object({
  uploads: z.array(
    z.object({
      name: z.string(),
      sha256: z.string(),
      /** What to deliver once the file is up: `files: [{ uri, sha256 }]`. */
      uri: z.string(),
      method: z.literal('PUT'),
      url: z.string(),
      /** Send these with the PUT: they are signed, and the store checks the body against the checksum. */
      headers: z.record(z.string(), z.string()),
      expiresAt: z.string(),
    }),
  ),
});
const Uploaded = z.object({ uri: z.string(), sha256: z.string(), bytes: z.int() });
const CancelBody = z.strictObject({ reason: z.string().min(1, 'say why the ticket is cancelled') });

function vendorOf(principal: Principal, named: string | undefined): string {
  if (principal.vendorId) {
    if (named && named !== principal.vendorId)
      throw new TicketForbidden(`This token is vendor ${principal.vendorId}'s; it cannot act for ${named}`);
    return principal.vendorId;
  }
  if (!named)
    throw new TicketForbidden('Name the vendor (vendorId) you act for: this token is not a vendor’s');
  return named;
}

/**
 * Vendor tickets on the API: vendors list their tickets, bid, deliver and invoice with their own
 * token (scoped to their vendor id); TDs award, review and cancel. Every message goes to the ticket's
 * workflow, which accepts it or says why not.
 */
export function vendorRoutes(deps: {
  redis: RedisClient;
  store: ShotPartitions;
  artifacts: ArtifactStore;
  /** Signs the Content Credentials sidecar of each delivered file; without it deliveries get none. */
  signer?: SigningIdentity;
  /** Signs this API's own upload URLs, for stores that have none (a directory). */
  uploadTokens: UploadTokens;
  urlExpirySeconds: number;
  tickets?: TicketClient;
}): RouteSpec[] {
  const partitions = deps.store.partitions;
  const locals = partitions.all.map((k) => new LocalTracker(deps.redis, partitions.keyspace(k)));
  /** The local tracker of the partition a ticket's shot is in. */
  const localOf = (ticketId: string) => {
    const k = partitions.ofShotId(shotIdOfTicket(ticketId));
    return k === undefined ? undefined : locals[k];
  };
  const { artifacts } = deps;
  const tickets = () => {
    if (!deps.tickets) throw new TicketsUnavailable();
    return deps.tickets;
  };
  /** The ticket's shot, checked against who asks: a vendor must be invited, anyone else must see the show. */
  const locate = async (principal: Principal, ticketId: string) => {
    const shot = await deps.store.get(shotIdOfTicket(ticketId));
    if (!shot?.vendorWorkflowId) throw new TicketNotFound(ticketId);
    if (principal.role === 'vendor') {
      const ticket = await localOf(ticketId)?.get(ticketId);
      const invited = ticket ? ticket.vendors : (await tickets().state(shot.show, shot.id)).vendors;
      if (!principal.vendorId || !invited.includes(principal.vendorId)) throw new TicketNotFound(ticketId);
    } else if (!canSeeShow(principal, shot.show)) throw new TicketNotFound(ticketId);
    return shot;
  };
  /** Only the awarded vendor, while the work is in progress, uploads and delivers; say so before anything is written. */
  const assertDelivering = async (shot: ShotRecord, ticketId: string, vendorId: string) => {
    const state = await tickets().state(shot.show, shot.id);
    if (state.phase === 'closed')
      throw new TicketRefused(`Ticket ${ticketId} is closed; it takes no more deliveries`);
    if (state.award?.vendorId !== vendorId)
      throw new TicketForbidden(
        `Ticket ${ticketId} was awarded to ${state.award?.vendorId ?? 'nobody yet'}, not ${vendorId}`,
      );
    if (state.phase !== 'in-progress')
      throw new TicketRefused(
        `Ticket ${ticketId} is ${state.phase}: a delivery is only taken while in-progress`,
      );
  };
  const tag = 'vendor';
  return [
    route({
      method: 'GET',
      url: '/v1/vendor/tickets',
      summary: 'The tickets this vendor was invited to (all tickets for an admin), newest first',
      tag,
      permission: 'vendor:tickets',
      responses: { 200: { description: 'Tickets', schema: z.object({ tickets: z.array(LocalTicket) }) } },
      handler: async ({ principal }) => ({
        tickets: newestTicketsFirst(
          await Promise.all(
            locals.map((local) =>
              local.list(principal.role === 'admin' ? undefined : (principal.vendorId ?? '')),
            ),
          ),
        ),
      }),
    }),
    route({
      method: 'GET',
      url: '/v1/vendor/tickets/:id',
      summary: 'A ticket’s full state: bids, award, deliveries, review rounds, invoice',
      tag,
      permission: 'vendor:read',
      params: TicketParams,
      responses: { 200: { description: 'The ticket', schema: TicketState } },
      handler: async ({ principal, params }) => {
        const shot = await locate(principal, params.id);
        return tickets().state(shot.show, shot.id);
      },
    }),
    route({
      method: 'POST',
      url: '/v1/vendor/tickets/:id/bids',
      summary: 'Bid on a ticket (vendor)',
      tag,
      permission: 'vendor:tickets',
      params: TicketParams,
      body: BidBody,
      responses: { 201: { description: 'The bid as recorded', schema: Bid } },
      handler: async ({ principal, params, body, reply }) => {
        const shot = await locate(principal, params.id);
        const { vendorId: named, ...bid } = body;
        const recorded = await tickets().bid(shot.show, shot.id, {
          ...bid,
          vendorId: vendorOf(principal, named),
        });
        reply.code(201);
        return recorded;
      },
    }),
    route({
      method: 'POST',
      url: '/v1/vendor/tickets/:id/uploads',
      summary:
        'Upload URLs for the files of a delivery (the awarded vendor): PUT each file to its URL, then deliver the URIs',
      tag,
      permission: 'vendor:tickets',
      params: TicketParams,
      body: UploadBody,
      responses: { 201: { description: 'Where to upload each file', schema: UploadTargets } },
      handler: async ({ principal, params, body, request, reply }) => {
        const shot = await locate(principal, params.id);
        await assertDelivering(shot, params.id, vendorOf(principal, body.vendorId));
        const exp = Math.floor(Date.now() / 1000) + deps.urlExpirySeconds;
        const uploads = await Promise.all(
          body.files.map(async (f) => {
            const key = deliveryKey({ show: shot.show, shotId: shot.id }, f.name);
            const contentType = f.contentType ?? 'application/octet-stream';
            // A store without presigned URLs (a directory) takes the upload through this API, on a signed URL of its own.
            const target = (await artifacts.uploadUrl(key, { sha256: f.sha256, contentType })) ?? {
              method: 'PUT' as const,
              url: `${request.protocol}://${request.host}/v1/uploads/${deps.uploadTokens.sign({ key, sha256: f.sha256, contentType, exp })}`,
              headers: { 'content-type': 'application/octet-stream' },
              expiresAt: new Date(exp * 1000).toISOString(),
            };
            return { name: f.name, sha256: f.sha256, uri: artifacts.uri(key), ...target };
          }),
        );
        reply.code(201);
        return { uploads };
      },
    }),
    route({
      method: 'PUT',
      url: '/v1/uploads/:token',
      summary:
        'Receives one uploaded file on a URL the ticket handed out (stores without presigned URLs); no bearer token: the URL is the permission',
      tag,
      params: z.strictObject({ token: z.string().min(1) }),
      responses: {
        201: { description: 'The file, as stored after its SHA-256 was checked', schema: Uploaded },
      },
      handler: async ({ params, request, reply }) => {
        const claims = deps.uploadTokens.verify(params.token);
        if (!(request.body instanceof Readable))
          throw new UploadNotOctetStream(
            'Send the file as the body with content-type application/octet-stream',
          );
        const stored = await artifacts.put(claims.key, { stream: request.body }, { sha256: claims.sha256 });
        reply.code(201);
        return { uri: stored.uri, sha256: stored.sha256, bytes: stored.bytes };
      },
    }),
    route({
      method: 'POST',
      url: '/v1/vendor/tickets/:id/deliveries',
      summary:
        'Deliver a version of the work (the awarded vendor): files uploaded for this ticket, each checked against its SHA-256',
      tag,
      permission: 'vendor:tickets',
      params: TicketParams,
      body: DeliveryBody,
      responses: { 201: { description: 'The ticket after the delivery', schema: TicketState } },
      handler: async ({ principal, params, body, reply }) => {
        const shot = await locate(principal, params.id);
        const { vendorId: named, ...d } = body;
        const vendorId = vendorOf(principal, named);
        await assertDelivering(shot, params.id, vendorId);
        await checkDeliveredFiles(
          artifacts,
          { show: shot.show, shotId: shot.id, ticketId: params.id },
          d.files,
        );
        // Credentials before the delivery is recorded: every delivered version has them beside it.
        if (deps.signer)
          await recordDeliveryCredentials(
            artifacts,
            deps.signer,
            { shot, ticketId: params.id, vendorId },
            d.files,
          );
        const state = await tickets().deliver(shot.show, shot.id, { ...d, vendorId });
        reply.code(201);
        return state;
      },
    }),
    route({
      method: 'POST',
      url: '/v1/vendor/tickets/:id/invoices',
      summary: 'Invoice the approved work (the awarded vendor); closes the ticket',
      tag,
      permission: 'vendor:tickets',
      params: TicketParams,
      body: InvoiceBody,
      responses: { 201: { description: 'The closed ticket', schema: TicketState } },
      handler: async ({ principal, params, body, reply }) => {
        const shot = await locate(principal, params.id);
        const { vendorId: named, ...i } = body;
        const state = await tickets().invoice(shot.show, shot.id, {
          ...i,
          vendorId: vendorOf(principal, named),
        });
        reply.code(201);
        return state;
      },
    }),
    route({
      method: 'POST',
      url: '/v1/vendor/tickets/:id/award',
      summary: 'Award the ticket to a bid; over the budget line’s remainder it needs overBudgetApprovedBy',
      tag,
      permission: 'vendor:manage',
      params: TicketParams,
      body: AwardBody,
      responses: { 200: { description: 'The awarded ticket', schema: TicketState } },
      handler: async ({ principal, params, body }) => {
        const shot = await locate(principal, params.id);
        return tickets().award(shot.show, shot.id, { ...body, by: actorName(principal) });
      },
    }),
    route({
      method: 'POST',
      url: '/v1/vendor/tickets/:id/review',
      summary: 'Review the delivered version: approve, or request changes with notes',
      tag,
      permission: 'vendor:manage',
      params: TicketParams,
      body: ReviewBody,
      responses: { 200: { description: 'The ticket after the review', schema: TicketState } },
      handler: async ({ principal, params, body }) => {
        const shot = await locate(principal, params.id);
        return tickets().review(shot.show, shot.id, { ...body, by: actorName(principal) });
      },
    }),
    route({
      method: 'POST',
      url: '/v1/vendor/tickets/:id/cancel',
      summary: 'Cancel the ticket (and its shot)',
      tag,
      permission: 'vendor:manage',
      params: TicketParams,
      body: CancelBody,
      responses: { 200: { description: 'The closed ticket', schema: TicketState } },
      handler: async ({ principal, params, body }) => {
        const shot = await locate(principal, params.id);
        return tickets().cancel(shot.show, shot.id, { by: actorName(principal), reason: body.reason });
      },
    }),
  ];
}

/** Each partition's tickets come newest first; so does their merge. */
function newestTicketsFirst(lists: LocalTicket[][]): LocalTicket[] {
  return lists.flat().sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}
