/** Who is acting. Every workflow update carries one. */
export type Role = 'RESIDENT' | 'OPERATOR' | 'ADMIN';

export interface Actor {
  id: string;
  role: Role;
  /** Districts an operator serves; empty for residents, ignored for admins. */
  districtIds: number[];
}

export function isStaff(actor: Actor): boolean {
  return actor.role === 'OPERATOR' || actor.role === 'ADMIN';
}

/** Operators act only on their districts; admins everywhere. */
export function staffCovers(actor: Actor, districtId: number): boolean {
  if (actor.role === 'ADMIN') return true;
  return actor.role === 'OPERATOR' && actor.districtIds.includes(districtId);
}

/** May this actor see the booking at all? Owner, operator of its district, admin. */
export function canSeeBooking(actor: Actor, booking: { residentId: string; districtId: number }): boolean {
  return actor.id === booking.residentId || staffCovers(actor, booking.districtId);
}
