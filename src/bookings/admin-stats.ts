import type { Actor } from '../domain/actor';
import { DomainError } from '../domain/errors';
import { cohortStats, type CohortFigures } from './cohort-stats';
import type { BookingServiceDeps } from './deps';

export interface DistrictStats extends CohortFigures {
  districtId: number;
  districtName: string;
}

/** Per-district figures for bookings submitted in [from, to). Admins only. */
export async function adminStats(deps: BookingServiceDeps, actor: Actor, range: { from: Date; to: Date }): Promise<DistrictStats[]> {
  if (actor.role !== 'ADMIN') throw new DomainError('FORBIDDEN', 'Only administrators see statistics');
  const rows = await cohortStats(deps, range, 'district');
  return rows.map(({ groupId, groupName, ...figures }) => ({ districtId: groupId, districtName: groupName, ...figures }));
}
