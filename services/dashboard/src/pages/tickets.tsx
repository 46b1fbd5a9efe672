import { errorMessage } from '@shotcaller/contracts/error-message';
import { useEffect, useState } from 'preact/hooks';
import { type Api, when } from '../api';
import { ErrorNote, Table } from '../components';

interface Ticket {
  ticketId: string;
  show: string;
  label: string;
  brief: string;
  status: string;
  bidDeadline: string;
  awardedTo?: string;
  updatedAt: string;
}

/** A vendor's tickets: what it was invited to bid on, and where each stands. */
export function TicketsPage({ api }: { api: Api }) {
  const [tickets, setTickets] = useState<Ticket[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api
      .get<{ tickets: Ticket[] }>('/v1/vendor/tickets')
      .then((r) => setTickets(r.tickets))
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  return (
    <section>
      <h1>Vendor tickets</h1>
      <ErrorNote error={error} />
      {tickets === undefined ? (
        !error && <p>Loading…</p>
      ) : tickets.length === 0 ? (
        <p class="empty">No tickets for you yet.</p>
      ) : (
        <Table
          head={['ticket', 'shot', 'brief', 'status', 'bids due', 'awarded to']}
          rows={tickets.map((t) => ({
            key: t.ticketId,
            cells: [t.ticketId, t.label, t.brief, t.status, when(t.bidDeadline), t.awardedTo ?? ''],
          }))}
        />
      )}
    </section>
  );
}
