import { addDuration } from './duration';
import { hardDeadline, PRODUCTION_POLICY } from './policy';
import { slaStages } from './sla';
import { addWorkingDays, isWorkingDay, OFFICE_HOURS, officeTimeMidpoint, russianWorkCalendar, statutoryYear, undecreedYears, type WorkCalendar } from './work-calendar';

const at = (iso: string) => new Date(iso);
const iso = (date: Date) => date.toISOString();

describe("Russia's production calendar", () => {
  test('when the 2026 calendar is read, then it is the Labour Code year plus the two moves the decree made (3 January → 9 January, 4 January → 31 December)', () => {
    const decreed = russianWorkCalendar(at('2026-01-01T12:00:00+03:00'), at('2026-12-31T12:00:00+03:00'));
    expect(decreed).toMatchObject({ from: '2026-01-01', to: '2026-12-31', workedWeekends: [] });
    expect(decreed.daysOff).toEqual([...statutoryYear(2026).daysOff, '2026-01-09', '2026-12-31'].sort());
  });

  test('when the working days of 2026 are counted, then there are 247, as published with the decree', () => {
    const year = russianWorkCalendar(at('2026-01-01T12:00:00+03:00'), at('2026-12-31T12:00:00+03:00'));
    let working = 0;
    for (let day = at('2026-01-01T12:00:00+03:00'); day.getUTCFullYear() === 2026; day = new Date(day.getTime() + 86_400_000)) if (isWorkingDay(day, year)) working += 1;
    expect(working).toBe(247);
  });

  test('when a year has no decree yet, then a holiday on a weekend gives the next working day off, but the New Year holidays do not', () => {
    // 2027: 1 May and 12 June are Saturdays, 9 May a Sunday; 2 and 3 January a weekend.
    expect(statutoryYear(2027).daysOff).toEqual([
      '2027-01-01', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08',
      '2027-02-23', '2027-03-08', '2027-05-03', '2027-05-10', '2027-06-14', '2027-11-04',
    ]);
    // Nor does Christmas: in 2018 (a Sunday) 9 January was worked, the decree moving the day to 2 May.
    expect(statutoryYear(2018).daysOff).toEqual(expect.arrayContaining(['2018-01-08', '2018-05-09']));
    expect(statutoryYear(2018).daysOff).not.toContain('2018-01-09');
  });

  test('when the years a stretch reaches are checked, then those without a listed decree are named, for the API to warn about', () => {
    expect(undecreedYears(at('2026-01-01T12:00:00+03:00'), at('2026-12-31T23:59:00+03:00'))).toEqual([]);
    expect(undecreedYears(at('2026-12-07T12:00:00+03:00'), at('2027-08-05T12:00:00+03:00'))).toEqual([2027]);
    expect(undecreedYears(at('2025-12-31T22:00:00+03:00'), at('2026-06-01T12:00:00+03:00'))).toEqual([2025]);
  });

  test('when a calendar is taken for a stretch, then it holds only the dates inside it, across the years', () => {
    const calendar = russianWorkCalendar(at('2026-12-30T23:30:00+03:00'), at('2027-01-05T01:00:00+03:00'));
    expect(calendar).toEqual({ from: '2026-12-30', to: '2027-01-05', daysOff: ['2026-12-31', '2027-01-01', '2027-01-04', '2027-01-05'], workedWeekends: [], officeHours: OFFICE_HOURS });
  });
});

describe('working days by the calendar', () => {
  const newYear = russianWorkCalendar(at('2026-12-01T00:00:00+03:00'), at('2027-02-01T00:00:00+03:00'));

  test('when a working day is added on 30 December 2026, then the New Year holidays are skipped to Monday 11 January at the same time', () => {
    expect(iso(addWorkingDays(at('2026-12-30T10:00:00+03:00'), 1, newYear))).toBe(iso(at('2027-01-11T10:00:00+03:00')));
    // Without a calendar (bookings started before revision 5) only the weekend is skipped.
    expect(iso(addWorkingDays(at('2026-12-30T10:00:00+03:00'), 1))).toBe(iso(at('2026-12-31T10:00:00+03:00')));
  });

  test('when the production policy counts from before the holidays, then the call-back and the hard deadline fall after them', () => {
    const submitted = at('2026-12-29T16:00:00+03:00');
    expect(iso(addDuration(submitted, PRODUCTION_POLICY.callbackSla, newYear))).toBe(iso(at('2026-12-30T16:00:00+03:00')));
    expect(iso(hardDeadline(PRODUCTION_POLICY, submitted, at('2027-03-01T18:00:00+03:00'), newYear))).toBe(iso(at('2027-01-14T16:00:00+03:00')));
  });

  test('when a count starts outside office hours, then it starts at the next opening: the evening before, the weekend and the holidays give operators a full working day', () => {
    const expectAfterOneDay = (from: string, due: string) => expect(iso(addWorkingDays(at(from), 1, newYear))).toBe(iso(at(due)));
    expectAfterOneDay('2026-12-07T08:15:00+03:00', '2026-12-08T09:00:00+03:00');
    expectAfterOneDay('2026-12-07T17:59:00+03:00', '2026-12-08T17:59:00+03:00');
    expectAfterOneDay('2026-12-07T18:00:00+03:00', '2026-12-09T09:00:00+03:00');
    expectAfterOneDay('2026-12-11T23:30:00+03:00', '2026-12-15T09:00:00+03:00');
    expectAfterOneDay('2026-12-13T10:00:00+03:00', '2026-12-15T09:00:00+03:00');
    expectAfterOneDay('2027-01-03T12:00:00+03:00', '2027-01-12T09:00:00+03:00');
    // Going back (a margin before the event) keeps the time of day.
    expect(iso(addWorkingDays(at('2026-12-14T07:00:00+03:00'), -1, newYear))).toBe(iso(at('2026-12-11T07:00:00+03:00')));
  });

  test("when a task's reminder is placed, then it falls halfway through the office hours until it is due, not at night or on a holiday", () => {
    const reminderOf = (start: string, due: string) => iso(slaStages(at(start), at(due), newYear)[0].at);
    // Friday 17:00 → Monday 17:00: one hour on Friday, eight on Monday; halfway is Monday 12:30.
    expect(reminderOf('2026-12-11T17:00:00+03:00', '2026-12-14T17:00:00+03:00')).toBe(iso(at('2026-12-14T12:30:00+03:00')));
    expect(reminderOf('2026-12-30T10:00:00+03:00', '2027-01-11T10:00:00+03:00')).toBe(iso(at('2026-12-30T14:30:00+03:00')));
    expect(reminderOf('2026-12-13T10:00:00+03:00', '2026-12-15T09:00:00+03:00')).toBe(iso(at('2026-12-14T13:30:00+03:00')));
    // No office hours in between, or a calendar without them: half the time, as before.
    expect(officeTimeMidpoint(at('2026-12-12T10:00:00+03:00'), at('2026-12-12T12:00:00+03:00'), newYear)).toBeUndefined();
    expect(reminderOf('2026-12-12T10:00:00+03:00', '2026-12-12T12:00:00+03:00')).toBe(iso(at('2026-12-12T11:00:00+03:00')));
    expect(iso(slaStages(at('2026-12-11T17:00:00+03:00'), at('2026-12-14T17:00:00+03:00'))[0].at)).toBe(iso(at('2026-12-13T05:00:00+03:00')));
    // Escalation and overdue keep to the due time and as long again.
    expect(slaStages(at('2026-12-11T17:00:00+03:00'), at('2026-12-14T17:00:00+03:00'), newYear).slice(1).map((stage) => iso(stage.at))).toEqual([
      iso(at('2026-12-14T17:00:00+03:00')),
      iso(at('2026-12-17T17:00:00+03:00')),
    ]);
  });

  test('when a weekend day is worked by decree, then it counts, and a weekday off does not, backwards too', () => {
    const calendar: WorkCalendar = { from: '2025-10-27', to: '2025-11-10', daysOff: ['2025-11-03', '2025-11-04'], workedWeekends: ['2025-11-01'] };
    const friday = at('2025-10-31T09:00:00+03:00');
    expect(isWorkingDay(at('2025-11-01T12:00:00+03:00'), calendar)).toBe(true);
    expect(iso(addWorkingDays(friday, 1, calendar))).toBe(iso(at('2025-11-01T09:00:00+03:00')));
    expect(iso(addWorkingDays(friday, 2, calendar))).toBe(iso(at('2025-11-05T09:00:00+03:00')));
    expect(iso(addWorkingDays(at('2025-11-05T09:00:00+03:00'), -2, calendar))).toBe(iso(friday));
  });

  test('when a count runs past the stretch a calendar covers, then the days beyond it are Monday to Friday', () => {
    const calendar: WorkCalendar = { from: '2026-03-02', to: '2026-03-03', daysOff: ['2026-03-03', '2026-03-04'], workedWeekends: ['2026-03-07'] };
    expect(isWorkingDay(at('2026-03-03T12:00:00+03:00'), calendar)).toBe(false);
    expect(isWorkingDay(at('2026-03-04T12:00:00+03:00'), calendar)).toBe(true);
    expect(isWorkingDay(at('2026-03-07T12:00:00+03:00'), calendar)).toBe(false);
  });
});
