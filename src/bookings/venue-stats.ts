import type { Actor } from '../domain/actor';
import { DomainError } from '../domain/errors';
import { cohortStats, type CohortFigures } from './cohort-stats';
import type { BookingServiceDeps } from './deps';

export interface VenueStats extends CohortFigures {
  venueId: number;
  venueName: string;
}

/** Per-venue figures within one district for bookings submitted in [from, to). Admins only. */
export async function adminVenueStats(deps: BookingServiceDeps, actor: Actor, range: { from: Date; to: Date }, districtId: number): Promise<VenueStats[]> {
  if (actor.role !== 'ADMIN') throw new DomainError('FORBIDDEN', 'Only administrators see statistics');
  const rows = await cohortStats(deps, range, 'venue', districtId);
  return rows.map(({ groupId, groupName, ...figures }) => ({ venueId: groupId, venueName: groupName, ...figures }));
}
