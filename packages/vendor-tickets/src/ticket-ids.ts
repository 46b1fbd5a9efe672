import { deploymentOfKeyspace } from '@shotcaller/events';
/**
 * A ticket's workflow id, derived from the shot: starting the same ticket twice finds the first, and
 * `temporal workflow list` shows which show and shot each one is for.
 */
export function ticketWorkflowId(deployment: string, show: string, shotId: string): string {
  // The deployment, not the partition's keyspace: the api finds a ticket's workflow from any partition.
  return `shotcaller-${deploymentOfKeyspace(deployment)}-ticket-${show}-${shotId}`;
}
