/**
 * The vendor ticket id of a shot: short, and the shot's own, since a shot has one ticket. It lives
 * here, with the shot, because shot commands name it too (vendor work is reviewed on its ticket).
 */
export function ticketIdOf(shotId: string): string {
  return `tk-${shotId.replace(/^sh-/, '')}`;
}

/** The shot a ticket id names, or undefined when it is not a ticket id. */
export function shotIdOfTicketId(ticketId: string): string | undefined {
  return /^tk-[A-Za-z0-9-]+$/.test(ticketId) ? `sh-${ticketId.slice(3)}` : undefined;
}
