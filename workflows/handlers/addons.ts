import { setHandler } from '@temporalio/workflow';
import { isAddOnCode } from '../../src/domain/addons';
import { commit, eventActor } from '../booking.commit';
import type { BookingContext } from '../booking.context';
import { decideAddOnUpdate, orderAddOnsUpdate, submitAddOnsUpdate, type ActionResult } from '../booking.messages';
import { confirmationTask } from '../booking.tasks';
import { refuse, requireKopecks, requireOptionalText, requireOwner, requireStaff, requireStatus } from '../booking.validators';

/** ADDONS phase: the resident orders services, staff decide each, the resident finishes. */
export function registerAddOnHandlers(ctx: BookingContext): void {
  const { state } = ctx;
  const result = (): ActionResult => ({ status: state.status as ActionResult['status'] });

  setHandler(
    orderAddOnsUpdate,
    async ({ actor, items }) => {
      const first = state.addOns.length + 1;
      items.forEach((item, index) => state.addOns.push({ code: item.code, quantity: item.quantity, listPrice: item.listPrice, status: 'REQUESTED', seq: first + index }));
      const codes = items.map((item) => item.code);
      const done = commit(ctx, { type: 'ADDONS_ORDERED', actor: eventActor(actor), data: { codes }, orderAddOns: items });
      ctx.notify({ kind: 'ADDONS_ORDERED', key: codes.join(','), data: { codes } });
      await done;
      return result();
    },
    {
      validator: ({ actor, items }) => {
        requireOwner(ctx, actor);
        requireStatus(ctx, 'ADDONS');
        if (!Array.isArray(items) || items.length === 0) refuse('VALIDATION', 'Order at least one service');
        const codes = new Set<string>();
        for (const item of items) {
          if (!isAddOnCode(item.code) || codes.has(item.code)) refuse('VALIDATION', 'Unknown or repeated service code');
          codes.add(item.code);
          if (state.addOns.some((line) => line.code === item.code)) refuse('INVALID_STATE', `${item.code} is already ordered`);
          if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > 100) refuse('VALIDATION', 'quantity must be 1–100');
          requireKopecks(item.listPrice, 'listPrice');
          requireOptionalText(item.note, 'note');
        }
      },
      description: 'Resident orders extra services.',
    },
  );

  setHandler(
    decideAddOnUpdate,
    async ({ actor, code, decision, price, note }) => {
      const line = state.addOns.find((item) => item.code === code)!;
      line.status = decision;
      line.price = decision === 'APPROVED' ? price : undefined;
      const data = { code, decision, price: line.price ?? null };
      const done = commit(ctx, {
        type: decision === 'APPROVED' ? 'ADDON_APPROVED' : 'ADDON_DECLINED',
        actor: eventActor(actor),
        note,
        data,
        addOnChange: { code, status: decision, price: line.price ?? null, note, decidedById: actor.id },
      });
      ctx.notify({ kind: 'ADDON_DECISION', key: code, data: { ...data, note } });
      await done;
      return result();
    },
    {
      validator: ({ actor, code, decision, price, note }) => {
        requireStaff(ctx, actor);
        requireStatus(ctx, 'ADDONS', 'AWAITING_CONFIRMATION');
        const line = state.addOns.find((item) => item.code === code);
        if (!line) refuse('VALIDATION', `${String(code)} was not ordered`);
        if (line.status !== 'REQUESTED') refuse('INVALID_STATE', `${code} is already ${line.status}`);
        if (decision !== 'APPROVED' && decision !== 'DECLINED') refuse('VALIDATION', 'decision must be APPROVED or DECLINED');
        if (decision === 'APPROVED') requireKopecks(price, 'price');
        requireOptionalText(note, 'note');
      },
      description: 'Staff approve (with a price) or decline one ordered service.',
    },
  );

  setHandler(
    submitAddOnsUpdate,
    async ({ actor, note }) => {
      await commit(ctx, { type: 'ADDONS_SUBMITTED', actor: eventActor(actor), to: 'AWAITING_CONFIRMATION', task: confirmationTask(ctx, Date.now()), note });
      return result();
    },
    {
      validator: ({ actor, note }) => {
        requireOwner(ctx, actor);
        requireStatus(ctx, 'ADDONS');
        requireOptionalText(note, 'note');
      },
      description: 'Resident is done choosing services; the booking goes to final confirmation.',
    },
  );
}
