import { setHandler } from '@temporalio/workflow';
import { ADDONS_UNDECIDED_REFUSAL, allDecided } from '../../src/domain/addons';
import { isFinalStatus, type BookingStatus } from '../../src/domain/status';
import { commit, eventActor } from '../booking.commit';
import type { BookingContext } from '../booking.context';
import { cancelUpdate, confirmUpdate, rejectUpdate, type ActionResult } from '../booking.messages';
import { refuse, requireNoStatusChangeDue, requireOptionalText, requireOwnerOrStaff, requireStaff, requireStatus, requireText } from '../booking.validators';

/** Final confirmation, rejection and cancellation (with compensation, see commit()). */
export function registerDecisionHandlers(ctx: BookingContext): void {
  const { state } = ctx;
  const result = (): ActionResult => ({ status: state.status as BookingStatus });

  setHandler(
    confirmUpdate,
    async ({ actor, note }) => {
      state.wasConfirmed = true;
      const done = commit(ctx, { type: 'CONFIRMED', actor: eventActor(actor), to: 'CONFIRMED', task: null, note });
      ctx.notify({ kind: 'CONFIRMED' });
      await done;
      return result();
    },
    {
      validator: ({ actor, note }) => {
        requireStaff(ctx, actor);
        requireStatus(ctx, 'AWAITING_CONFIRMATION');
        if (!allDecided(state.addOns)) refuse('INVALID_STATE', ADDONS_UNDECIDED_REFUSAL);
        requireOptionalText(note, 'note');
      },
      description: 'Operator confirms the booking (every service decided).',
    },
  );

  setHandler(
    rejectUpdate,
    async ({ actor, reason }) => {
      const done = commit(ctx, { type: 'REJECTED', actor: eventActor(actor), to: 'REJECTED', task: null, note: reason });
      ctx.notify({ kind: 'REJECTED', data: { reason } });
      await done;
      return result();
    },
    {
      validator: ({ actor, reason }) => {
        requireStaff(ctx, actor);
        requireStatus(ctx, 'AWAITING_CALLBACK', 'AWAITING_CONFIRMATION');
        requireText(reason, 'reason');
      },
      description: 'Operator rejects the booking; the slot is released.',
    },
  );

  setHandler(
    cancelUpdate,
    async ({ actor, reason }) => {
      const done = commit(ctx, { type: 'CANCELLED', actor: eventActor(actor), to: 'CANCELLED', task: null, note: reason, data: { by: actor.role } });
      ctx.notify({ kind: 'CANCELLED', data: { reason, wasConfirmed: state.wasConfirmed } });
      await done;
      return result();
    },
    {
      validator: ({ actor, reason }) => {
        requireOwnerOrStaff(ctx, actor);
        if (state.status === 'SUBMITTING' || state.status === 'NOT_HELD' || isFinalStatus(state.status)) {
          refuse('INVALID_STATE', `Not allowed while the booking is ${state.status}`);
        }
        requireNoStatusChangeDue(ctx);
        requireText(reason, 'reason');
      },
      description: 'Resident (owner) or staff cancel; approved services are cancelled newest first, then the slot is released.',
    },
  );
}
