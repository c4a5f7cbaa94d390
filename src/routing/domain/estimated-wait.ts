/**
 * The queue's recent service, as the service measures it: how many of its conversations were handed to
 * agents in the last `windowMinutes`, by how many different agents, and how many agents could serve it now.
 */
export interface RecentService {
  windowMinutes: number;
  assignments: number;
  /** Distinct agents who got those assignments; null to skip the staffing adjustment. */
  agentsInWindow: number | null;
  /** Agents who could take this queue's conversations now (online members with the skills). */
  eligibleAgentsNow: number;
}

/**
 * Estimated wait in seconds for the conversation at `position` (1 = next in line), or null when there is
 * nothing honest to say: no assignments in the window, or nobody able to serve the queue now. We never
 * show a made-up constant; the widget hides the estimate instead.
 *
 * The queue serves `assignments / windowMinutes` conversations a minute. If the staffing changed since,
 * that rate scales with it (twice the agents, about twice as fast). The p-th in line waits for p hand-outs.
 * The rate counts quiet spells too, so the estimate errs long when the queue was often empty.
 */
export function estimatedWaitSeconds(service: RecentService, position: number): number | null {
  if (!Number.isInteger(position) || position < 1)
    throw new RangeError(`position must be 1 or more, got ${position}`);
  if (service.windowMinutes <= 0 || service.assignments <= 0 || service.eligibleAgentsNow <= 0) return null;
  // position × window ÷ (assignments × staffing), kept as one integer fraction so 3 ÷ 1.2/min is exactly
  // 150 s, not 150.00000000000003 rounded up to 151.
  const inWindow = service.agentsInWindow ?? 0;
  const adjust = inWindow > 0;
  const numerator = position * service.windowMinutes * 60 * (adjust ? inWindow : 1);
  const denominator = service.assignments * (adjust ? service.eligibleAgentsNow : 1);
  return Math.ceil(numerator / denominator);
}
