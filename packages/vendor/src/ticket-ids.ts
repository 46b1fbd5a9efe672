/**
 * A ticket's workflow id, derived from the shot: starting the same ticket twice finds the first, and
 * `temporal workflow list` shows which show and shot each one is for.
 */
export function ticketWorkflowId(deployment: string, show: string, shotId: string): string {
  return `shotcaller-${deployment}-ticket-${show}-${shotId}`;
}
