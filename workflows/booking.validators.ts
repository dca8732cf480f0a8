import { ApplicationFailure } from '@temporalio/workflow';
import { staffCovers, type Actor } from '../src/domain/actor';
import type { DomainErrorType } from '../src/domain/errors';
import type { BookingStatus } from '../src/domain/status';
import { MAX_PRICE_KOPECKS } from '../src/domain/price';
import { isStorableText } from '../src/domain/text';
import type { BookingContext } from './booking.context';
import { statusChangeDue } from './booking.timers';

/**
 * Update validators: they run before an update is admitted, so a refused action leaves no
 * event in history. Order of checks: may you see it (404), may you do this (403), is it the
 * right moment (409).
 */
export function refuse(type: DomainErrorType, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/**
 * The person who applied, whatever their role today: a resident appointed an operator keeps
 * their own applications (as canSeeBooking in src/domain/actor.ts lets them see them).
 */
function isOwner(ctx: BookingContext, actor: Actor): boolean {
  return actor.id === ctx.input.residentId;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The actor is stored on timeline events (a uuid column): refuse anything else up front. */
function assertActor(actor: Actor | undefined): asserts actor is Actor {
  const valid = actor && typeof actor.id === 'string' && UUID.test(actor.id) && ['RESIDENT', 'OPERATOR', 'ADMIN'].includes(actor.role) && Array.isArray(actor.districtIds);
  if (!valid) refuse('VALIDATION', 'A valid actor is required');
}

function assertVisible(ctx: BookingContext, actor: Actor): void {
  if (!isOwner(ctx, actor) && !staffCovers(actor, ctx.input.districtId)) refuse('NOT_FOUND', 'Booking not found');
}

export function requireOwner(ctx: BookingContext, actor: Actor | undefined): void {
  assertActor(actor);
  assertVisible(ctx, actor);
  if (!isOwner(ctx, actor)) refuse('FORBIDDEN', 'Only the resident who booked may do this');
}

export function requireStaff(ctx: BookingContext, actor: Actor | undefined): void {
  assertActor(actor);
  assertVisible(ctx, actor);
  if (!staffCovers(actor, ctx.input.districtId)) refuse('FORBIDDEN', 'Only staff of the district may do this');
  // Someone appointed after applying keeps their application, but the district's other staff decide on it.
  if (isOwner(ctx, actor)) refuse('FORBIDDEN', 'Staff do not decide on their own application');
}

export function requireOwnerOrStaff(ctx: BookingContext, actor: Actor | undefined): void {
  assertActor(actor);
  assertVisible(ctx, actor);
}

export function requireStatus(ctx: BookingContext, ...allowed: BookingStatus[]): void {
  const status = ctx.state.status;
  if (!(allowed as string[]).includes(status)) refuse('INVALID_STATE', `Not allowed while the booking is ${status}`);
  requireNoStatusChangeDue(ctx);
}

/** A deadline that has passed wins over an action that arrives with it: the booking is about to change status. */
export function requireNoStatusChangeDue(ctx: BookingContext): void {
  const due = statusChangeDue(ctx);
  if (due) refuse('INVALID_STATE', `The booking's ${due.name} has passed; it is changing status`);
}

export function requireText(value: unknown, field: string, maxLength = 2000): void {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > maxLength) refuse('VALIDATION', `${field} must be 1–${maxLength} characters`);
  requireStorable(value, field);
}

export function requireOptionalText(value: unknown, field: string, maxLength = 2000): void {
  if (value == null) return;
  if (typeof value !== 'string' || value.length > maxLength) refuse('VALIDATION', `${field} must be at most ${maxLength} characters`);
  requireStorable(value, field);
}

/** Text the projection could not store would wedge the booking: refused before it is admitted. */
function requireStorable(value: string, field: string): void {
  if (!isStorableText(value)) refuse('VALIDATION', `${field} has a NUL or an unpaired surrogate`);
}

/** The most a PostgreSQL integer column holds: a larger count would fail its projection on every retry. */
const MAX_INT4 = 2_147_483_647;

export function requireAttendees(value: unknown): void {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_INT4) refuse('VALIDATION', 'attendees must be a positive whole number');
}

export function requireKopecks(value: unknown, field: string): void {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_PRICE_KOPECKS) {
    refuse('VALIDATION', `${field} must be a whole number of kopecks from 0 to ${MAX_PRICE_KOPECKS}`);
  }
}
